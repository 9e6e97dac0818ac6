namespace Sim.Core;

/// <summary>A bidirectional stream transport (asyncio's <c>Transport</c>): what a stream
/// protocol's <see cref="IBaseProtocol.ConnectionMade"/> receives.</summary>
public interface ITransport : IReadTransport, IWriteTransport
{
}

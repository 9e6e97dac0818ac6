namespace Sim.Core;

/// <summary>A stream protocol that is handed the bytes the transport received (asyncio's <c>Protocol</c>).</summary>
public interface IProtocol : IBaseProtocol
{
    /// <summary>Bytes received, in order; the chunking is arbitrary (it varies by backend and seed).
    /// The span is valid during the call only.</summary>
    void DataReceived(ReadOnlySpan<byte> data);

    /// <summary>
    /// The peer shut its sending side. Return true to keep the connection half-open (this side may
    /// still write, then close); false closes the transport.
    /// </summary>
    bool EofReceived();
}

using Sim.Core;
using Sim.Real;

namespace Sim.Tests.Conformance;

/// <summary>The primitive contract on the portable backend (.NET's completion-based sockets), on every platform.</summary>
[Trait("Category", "Conformance")]
public sealed class SocketStreamPrimitiveConformance : StreamPrimitiveConformance
{
    protected override EventLoop? CreateLoop() => RealLoop.Create(RealBackendKind.Portable);
}

using Sim.Core;
using Sim.Real;

namespace Sim.Tests.Conformance;

/// <summary>The Unix-domain stream suite on the portable backend (.NET sockets).</summary>
public sealed class SocketUnixStreamConformance : RealUnixStreamConformance
{
    protected override string BackendTag => "portable";

    protected override EventLoop CreateLoop() => RealLoop.Create(RealBackendKind.Portable);
}

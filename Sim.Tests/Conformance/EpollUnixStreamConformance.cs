using Sim.Core;
using Sim.Real;

namespace Sim.Tests.Conformance;

/// <summary>The Unix-domain stream suite on the epoll backend (AF_UNIX on raw sockets).</summary>
public sealed class EpollUnixStreamConformance : RealUnixStreamConformance
{
    protected override string BackendTag => "epoll";

    protected override EventLoop CreateLoop() => RealLoop.Create(RealBackendKind.Epoll);
}

using System.Net;
using Sim.Core;
using Sim.Real;

namespace Sim.Tests.Conformance;

/// <summary>The socket API suite on the epoll backend, over 127.0.0.1.</summary>
public sealed class EpollSocketApiConformance : SocketApiConformance
{
    protected override EventLoop CreateLoop() => RealLoop.Create(RealBackendKind.Epoll);
}

/// <summary>The same suite on the epoll backend over ::1.</summary>
public sealed class EpollIPv6SocketApiConformance : SocketApiConformance
{
    protected override IPAddress Address => IPAddress.IPv6Loopback;

    protected override EventLoop CreateLoop() => RealLoop.Create(RealBackendKind.Epoll);
}

using Sim.Core;
using Sim.Real;

namespace Sim.Tests.Conformance;

/// <summary>The datagram suite on the epoll backend over 127.0.0.1.</summary>
public sealed class EpollDatagramConformance : DatagramConformance
{
    protected override EventLoop CreateLoop() => RealLoop.Create(RealBackendKind.Epoll);
}

/// <summary>The same suite on the epoll backend over ::1.</summary>
public sealed class EpollIPv6DatagramConformance : DatagramConformance
{
    protected override string Host => "::1";

    protected override EventLoop CreateLoop() => RealLoop.Create(RealBackendKind.Epoll);
}

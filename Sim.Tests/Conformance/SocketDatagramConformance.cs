using Sim.Core;
using Sim.Real;

namespace Sim.Tests.Conformance;

/// <summary>The datagram suite on the portable backend (.NET socket completions) over 127.0.0.1.</summary>
public sealed class SocketDatagramConformance : DatagramConformance
{
    protected override EventLoop CreateLoop() => RealLoop.Create(RealBackendKind.Portable);
}

/// <summary>The same suite on the portable backend over ::1.</summary>
public sealed class SocketIPv6DatagramConformance : DatagramConformance
{
    protected override string Host => "::1";

    protected override EventLoop CreateLoop() => RealLoop.Create(RealBackendKind.Portable);
}

using System.Net;
using Sim.Core;
using Sim.Real;

namespace Sim.Tests.Conformance;

/// <summary>The socket API suite on the portable backend (.NET socket completions), over 127.0.0.1.</summary>
public sealed class SocketSocketApiConformance : SocketApiConformance
{
    protected override EventLoop CreateLoop() => RealLoop.Create(RealBackendKind.Portable);
}

/// <summary>The same suite on the portable backend over ::1.</summary>
public sealed class SocketIPv6SocketApiConformance : SocketApiConformance
{
    protected override IPAddress Address => IPAddress.IPv6Loopback;

    protected override EventLoop CreateLoop() => RealLoop.Create(RealBackendKind.Portable);
}

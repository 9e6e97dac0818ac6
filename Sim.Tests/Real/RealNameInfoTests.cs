using System.Net;
using System.Net.Sockets;
using Sim.Core;
using Sim.Real;

namespace Sim.Tests.Real;

/// <summary>
/// <c>GetNameInfo</c> on the real backends: without NumericHost the address is named by the
/// system resolver (a reverse lookup made off the loop thread), with it the numbers come back
/// unchanged. The expected name is what the system resolver itself says, so the test holds on any
/// machine's hosts file. (Only loopback is asked: other addresses would ask a DNS server, which a
/// test must not depend on; NameRequired without a name is tested on the simulation.)
/// </summary>
[Trait("Category", "Unit")]
public sealed class RealNameInfoTests
{
    private const double TimeLimit = 20;

    public static TheoryData<RealBackendKind> Backends() => [RealBackendKind.Epoll, RealBackendKind.Portable];

    [Theory]
    [MemberData(nameof(Backends))]
    public void GetNameInfo_Loopback_NamedByTheSystemResolver_NumericHostTheNumbers(RealBackendKind kind)
    {
        if (kind == RealBackendKind.Epoll && !OperatingSystem.IsLinux())
            return;
        var expected = SystemName(IPAddress.Loopback);
        var (named, numeric) = BoundedRun.Run(RealLoop.Create(kind), TimeLimit, async loop =>
        {
            var address = new IPEndPoint(IPAddress.Loopback, 8080);
            return (await loop.GetNameInfo(address), await loop.GetNameInfo(address, NameInfoFlags.NumericHost | NameInfoFlags.NumericService));
        });
        Assert.Equal((expected ?? "127.0.0.1", "8080"), named);
        Assert.Equal(("127.0.0.1", "8080"), numeric);
    }

    private static string? SystemName(IPAddress address)
    {
        try
        {
            var name = Dns.GetHostEntry(address).HostName;
            return string.IsNullOrEmpty(name) ? null : name;
        }
        catch (SocketException)
        {
            return null;
        }
    }
}

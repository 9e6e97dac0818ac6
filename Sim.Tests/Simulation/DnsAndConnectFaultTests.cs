using System.Net;
using System.Net.Sockets;
using Sim.Core;
using Sim.Net;
using Sim.Tests.Conformance;

// Not Sim.Tests.Simulation: a namespace of that name would hide the Sim.Simulation type.
namespace Sim.Tests.Simulations;

/// <summary>The simulated resolver's failures, delays and reverse lookups, and connects that time out.</summary>
[Trait("Category", "Simulation")]
public sealed class DnsAndConnectFaultTests
{
    private static Simulation NewSimulation(long seed = 1, NetworkOptions? network = null) =>
        new(seed, new SimulationOptions { Log = TextWriter.Null, Network = network ?? new NetworkOptions() });

    private static T Run<T>(Simulation simulation, Func<EventLoop, Coroutine<T>> body)
    {
        try
        {
            return simulation.RunUntilComplete(body(simulation.Loop));
        }
        finally
        {
            simulation.Loop.Close();
        }
    }

    private static async Coroutine<SocketException?> ErrorOf<T>(Coroutine<T> operation)
    {
        try
        {
            await operation;
            return null;
        }
        catch (SocketException error)
        {
            return error;
        }
    }

    [Fact]
    public void GetAddrInfo_NameMadeToFail_ThrowsHostNotFound_AndHealingRestoresIt()
    {
        var simulation = NewSimulation();
        simulation.AddHost("server.sim", "10.0.0.2");
        simulation.Network.Dns.Fail("server.sim");
        var (failed, healed) = Run(simulation, async loop =>
        {
            var error = await ErrorOf(loop.GetAddrInfo("server.sim", 80));
            simulation.Network.Dns.Heal("server.sim");
            return (error, await loop.GetAddrInfo("server.sim", 80));
        });
        Assert.Equal(SocketError.HostNotFound, failed!.SocketErrorCode);
        Assert.Equal("[Errno -2] Name or service not known: server.sim", failed.Message);
        Assert.Equal([IPEndPoint.Parse("10.0.0.2:80")], healed);
        Assert.Contains(simulation.Trace.Events, e => e is { Kind: "dns.fail", Details: "server.sim: HostNotFound" });
    }

    [Fact]
    public void CreateConnection_NameFailingWithTryAgain_RaisesTheTemporaryFailure()
    {
        var simulation = NewSimulation();
        simulation.AddHost("server.sim", "10.0.0.2");
        simulation.Network.Dns.Fail("server.sim", SocketError.TryAgain);
        var error = Run(simulation, async loop =>
        {
            var server = await loop.CreateServer(() => new RecordingProtocol(loop), "10.0.0.2", 8080);
            var failure = await ErrorOf(loop.CreateConnection(() => new RecordingProtocol(loop), "server.sim", 8080));
            server.Close();
            return failure;
        });
        Assert.Equal(SocketError.TryAgain, error!.SocketErrorCode);
        Assert.Equal("[Errno -3] Temporary failure in name resolution: server.sim", error.Message);
        Assert.DoesNotContain(simulation.Trace.Events, e => e.Kind == "tcp.connect");
    }

    [Fact]
    public void GetAddrInfo_UnknownName_ThrowsHostNotFound()
    {
        var error = Run(NewSimulation(), async loop => await ErrorOf(loop.GetAddrInfo("nowhere.sim", 80)));
        Assert.Equal(SocketError.HostNotFound, error!.SocketErrorCode);
    }

    [Fact]
    public void GetAddrInfo_FlakyName_FailsOnSomeSeedsOnly_AndEachSeedAlwaysTheSameWay()
    {
        string Outcome(long seed)
        {
            var simulation = NewSimulation(seed);
            simulation.AddHost("flaky.sim", "10.0.0.3");
            simulation.Network.Dns.Fail("flaky.sim", SocketError.TryAgain, probability: 0.5);
            return Run(simulation, async loop =>
            {
                var outcomes = new List<string>();
                for (var i = 0; i < 4; i++)
                {
                    var error = await ErrorOf(loop.GetAddrInfo("flaky.sim", 80));
                    outcomes.Add(error is null ? "ok" : error.SocketErrorCode.ToString());
                }
                return string.Join(",", outcomes);
            });
        }

        var outcomes = Enumerable.Range(1, 20).Select(seed => Outcome(seed)).ToList();
        Assert.Equal(outcomes, Enumerable.Range(1, 20).Select(seed => Outcome(seed)).ToList());
        var lookups = outcomes.SelectMany(o => o.Split(',')).ToList();
        Assert.Contains("ok", lookups);
        Assert.Contains("TryAgain", lookups);
        Assert.All(lookups, l => Assert.True(l is "ok" or "TryAgain", l));
    }

    [Fact]
    public void GetAddrInfo_SlowName_TakesASeededTimeInItsRange()
    {
        double LookupTime(long seed)
        {
            var simulation = NewSimulation(seed);
            simulation.AddHost("slow.sim", "10.0.0.4");
            simulation.Network.Dns.Delay("slow.sim", 2, 3);
            return Run(simulation, async loop =>
            {
                await loop.GetAddrInfo("slow.sim", 80);
                return loop.Time();
            });
        }

        var times = Enumerable.Range(1, 10).Select(seed => LookupTime(seed)).ToList();
        Assert.All(times, t => Assert.InRange(t, 2.0, 3.0));
        Assert.Equal(times, Enumerable.Range(1, 10).Select(seed => LookupTime(seed)).ToList());
        Assert.True(times.Distinct().Count() > 5, "the delay is drawn per seed");
    }

    [Fact]
    public void CreateConnection_SlowFailingName_FailsOnlyAfterTheDelay()
    {
        var simulation = NewSimulation();
        simulation.Network.Dns.Fail("down.sim", SocketError.TryAgain);
        simulation.Network.Dns.Delay("down.sim", 4, 4);
        var (error, at) = Run(simulation, async loop =>
        {
            var failure = await ErrorOf(loop.CreateConnection(() => new RecordingProtocol(loop), "down.sim", 80));
            return (failure, loop.Time());
        });
        Assert.Equal(SocketError.TryAgain, error!.SocketErrorCode);
        Assert.Equal(4, at, 9);
    }

    [Fact]
    public void DnsTable_BadFailureOrDelay_IsRefused()
    {
        var dns = NewSimulation().Network.Dns;
        Assert.Throws<ArgumentOutOfRangeException>(() => dns.Fail("a.sim", SocketError.ConnectionRefused));
        Assert.Throws<ArgumentOutOfRangeException>(() => dns.Fail("a.sim", SocketError.TryAgain, probability: 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => dns.Fail("a.sim", SocketError.TryAgain, probability: 1.5));
        Assert.Throws<ArgumentOutOfRangeException>(() => dns.Delay("a.sim", 2, 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => dns.Delay("a.sim", -1, 1));
    }

    [Fact]
    public void GetNameInfo_HostAddress_AnswersTheHostsName_NumericHostTheNumbers()
    {
        var simulation = NewSimulation();
        simulation.AddHost("server.sim", "10.0.0.2", "fd00::2");
        simulation.Network.Dns.Add("alias.sim", "10.0.0.50");
        var answers = Run(simulation, async loop => new[]
        {
            await loop.GetNameInfo(IPEndPoint.Parse("10.0.0.2:8080")),
            await loop.GetNameInfo(IPEndPoint.Parse("[fd00::2]:443"), NameInfoFlags.NameRequired),
            await loop.GetNameInfo(IPEndPoint.Parse("10.0.0.2:8080"), NameInfoFlags.NumericHost),
            await loop.GetNameInfo(IPEndPoint.Parse("127.0.0.1:22")),
            await loop.GetNameInfo(IPEndPoint.Parse("10.0.0.50:80")),
        });
        Assert.Equal(
            [("server.sim", "8080"), ("server.sim", "443"), ("10.0.0.2", "8080"), ("localhost", "22"), ("alias.sim", "80")],
            answers);
        Assert.Contains(simulation.Trace.Events, e => e is { Kind: "dns.reverse", Details: "10.0.0.2 -> server.sim" });
    }

    [Fact]
    public void GetNameInfo_UnknownAddress_AnswersNumerically_OrHostNotFoundWhenANameIsRequired()
    {
        var (numeric, error) = Run(NewSimulation(), async loop => (
            await loop.GetNameInfo(IPEndPoint.Parse("10.9.9.9:80")),
            await ErrorOf(loop.GetNameInfo(IPEndPoint.Parse("10.9.9.9:80"), NameInfoFlags.NameRequired))));
        Assert.Equal(("10.9.9.9", "80"), numeric);
        Assert.Equal(SocketError.HostNotFound, error!.SocketErrorCode);
    }

    [Fact]
    public void Connect_HostDroppingConnectionAttempts_TimesOutAfterTheConfiguredTimeout()
    {
        var simulation = NewSimulation(network: new NetworkOptions { ConnectTimeout = 5 });
        var firewalled = simulation.AddHost("firewalled.sim", "10.0.0.6");
        firewalled.DropsIncomingConnections = true;
        var (error, at, afterOpening) = Run(simulation, async loop =>
        {
            var server = await loop.CreateServer(() => new RecordingProtocol(loop), "10.0.0.6", 8080);
            var failure = await ErrorOf(loop.CreateConnection(() => new RecordingProtocol(loop), "firewalled.sim", 8080));
            var failedAt = loop.Time();
            firewalled.DropsIncomingConnections = false;
            var (transport, _) = await loop.CreateConnection(() => new RecordingProtocol(loop), "firewalled.sim", 8080);
            var connected = transport.GetExtraInfo("peername");
            transport.Close();
            server.Close();
            return (failure, failedAt, connected);
        });
        Assert.Equal(SocketError.TimedOut, error!.SocketErrorCode);
        Assert.Contains("timed out", error.Message, StringComparison.Ordinal);
        Assert.InRange(at, 5.0, 5.0 + 0.002);
        Assert.Equal(IPEndPoint.Parse("10.0.0.6:8080"), afterOpening);
        Assert.Contains(simulation.Trace.Events, e => e is { Host: "firewalled.sim", Kind: "tcp.syn-drop" });
    }

    [Fact]
    public void Connect_AddressNoHostHas_TimesOutAfterAShortConfiguredTimeout()
    {
        var simulation = NewSimulation(network: new NetworkOptions { ConnectTimeout = 0.25 });
        var (error, at) = Run(simulation, async loop =>
        {
            var failure = await ErrorOf(loop.SockConnect(IPEndPoint.Parse("10.9.9.9:80")));
            return (failure, loop.Time());
        });
        Assert.Equal(SocketError.TimedOut, error!.SocketErrorCode);
        Assert.Equal(0.25, at, 9);
    }
}

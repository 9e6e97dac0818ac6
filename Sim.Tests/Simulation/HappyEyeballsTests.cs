using System.Net;
using System.Net.Sockets;
using Sim.Core;
using Sim.Net;
using Sim.Tests.Conformance;

namespace Sim.Tests.Simulations;

/// <summary>
/// Happy eyeballs (RFC 8305) on the simulated network, where addresses can be dead (no host has
/// them: a connect hangs until the connect timeout) and every attempt starts at an exact virtual
/// time: staggering, interleaving by family, the winner closing the others, the combined error.
/// </summary>
[Trait("Category", "Simulation")]
public sealed class HappyEyeballsTests
{
    // Far beyond any delay here, so a test that waited for a dead address's timeout would show it.
    private const double ConnectTimeout = 30;

    private static Simulation NewSimulation(long seed = 1) => new(seed, new SimulationOptions
    {
        Log = TextWriter.Null,
        Network = new NetworkOptions { ConnectTimeout = ConnectTimeout },
    });

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

    /// <summary>The addresses connects went to, in the order they started, with their start times.</summary>
    private static List<(string Address, double Time)> Connects(Simulation simulation) =>
        simulation.Trace.Events.Where(e => e.Kind == "tcp.connect")
            .Select(e => (e.Details[(e.Details.IndexOf("-> ", StringComparison.Ordinal) + 3)..], e.TimeNs / 1e9))
            .ToList();

    private static bool Closed(Simulation simulation, string remote) =>
        simulation.Trace.Events.Any(e => e.Kind == "tcp.close" && e.Details.EndsWith("-> " + remote, StringComparison.Ordinal));

    private static async Coroutine<SocketException> ConnectFails(EventLoop loop, string host, double? delay, int? interleave = null)
    {
        try
        {
            var (transport, _) = await loop.CreateConnection(() => new RecordingProtocol(loop), host, 8080,
                happyEyeballsDelay: delay, interleave: interleave);
            transport.Close();
            Assert.Fail("connected");
            return null!;
        }
        catch (SocketException error)
        {
            return error;
        }
    }

    [Fact]
    public void DeadFirstAddress_ConnectsThroughTheSecondAfterTheDelay_NotAfterTheConnectTimeout()
    {
        var simulation = NewSimulation();
        simulation.AddHost("server.sim", "10.0.0.2");
        simulation.Network.Dns.Add("service.sim", "10.0.0.99", "10.0.0.2", "10.0.0.98");
        var (peer, connectedAt) = Run(simulation, async loop =>
        {
            var server = await loop.CreateServer(() => new RecordingProtocol(loop), "server.sim", 8080);
            var (transport, _) = await loop.CreateConnection(() => new RecordingProtocol(loop), "service.sim", 8080, happyEyeballsDelay: 0.25);
            var result = ((IPEndPoint)transport.GetExtraInfo("peername")!, loop.Time());
            // Long enough for a third attempt, had its start not been cancelled with the race.
            await Asyncio.Sleep(1);
            transport.Close();
            server.Close();
            return result;
        });
        Assert.Equal(IPEndPoint.Parse("10.0.0.2:8080"), peer);
        Assert.InRange(connectedAt, 0.25, 0.26);
        var connects = Connects(simulation);
        Assert.Equal(["10.0.0.99:8080", "10.0.0.2:8080"], connects.Select(c => c.Address));
        Assert.Equal(0.25, connects[1].Time - connects[0].Time, 9);
        Assert.True(Closed(simulation, "10.0.0.99:8080"), "the losing attempt's socket was left open");
        Assert.DoesNotContain(simulation.Trace.Events, e => e.Kind == "tcp.connect-failed");
    }

    [Fact]
    public void RefusedFirstAddress_StartsTheNextAtOnce_WithoutWaitingForTheDelay()
    {
        var simulation = NewSimulation();
        simulation.AddHost("server.sim", "10.0.0.2");
        simulation.AddHost("idle.sim", "10.0.0.3");
        simulation.Network.Dns.Add("service.sim", "10.0.0.3", "10.0.0.2");
        var connectedAt = Run(simulation, async loop =>
        {
            var server = await loop.CreateServer(() => new RecordingProtocol(loop), "server.sim", 8080);
            var (transport, _) = await loop.CreateConnection(() => new RecordingProtocol(loop), "service.sim", 8080, happyEyeballsDelay: 10);
            transport.Close();
            server.Close();
            return loop.Time();
        });
        Assert.True(connectedAt < 0.1, $"connected at {connectedAt} s: the refusal did not start the next attempt");
        Assert.Equal(["10.0.0.3:8080", "10.0.0.2:8080"], Connects(simulation).Select(c => c.Address));
    }

    [Theory]
    [InlineData(null, "[fd00::a]:8080 10.0.0.10:8080 [fd00::b]:8080 10.0.0.11:8080 [fd00::c]:8080")]
    [InlineData(1, "[fd00::a]:8080 10.0.0.10:8080 [fd00::b]:8080 10.0.0.11:8080 [fd00::c]:8080")]
    [InlineData(2, "[fd00::a]:8080 [fd00::b]:8080 10.0.0.10:8080 [fd00::c]:8080 10.0.0.11:8080")]
    [InlineData(9, "[fd00::a]:8080 [fd00::b]:8080 [fd00::c]:8080 10.0.0.10:8080 10.0.0.11:8080")]
    [InlineData(0, "[fd00::a]:8080 [fd00::b]:8080 [fd00::c]:8080 10.0.0.10:8080 10.0.0.11:8080")]
    public void Interleave_OrdersAttemptsByFamily_AsAsyncio(int? interleave, string expected)
    {
        var simulation = NewSimulation();
        // The IPv6 addresses first, as a resolver preferring IPv6 answers; none has a host.
        simulation.Network.Dns.Add("dual.sim", "fd00::a", "fd00::b", "fd00::c", "10.0.0.10", "10.0.0.11");
        var (error, failedAt) = Run(simulation, async loop => (await ConnectFails(loop, "dual.sim", 0.1, interleave), loop.Time()));
        var connects = Connects(simulation);
        Assert.Equal(expected, string.Join(' ', connects.Select(c => c.Address)));
        for (var i = 1; i < connects.Count; i++)
            Assert.Equal(0.1, connects[i].Time - connects[i - 1].Time, 9);
        // Each attempt waits out the connect timeout; the last started 0.4 s after the first.
        Assert.Equal(connects[0].Time + 0.4 + ConnectTimeout, failedAt, 6);
        Assert.Equal(SocketError.TimedOut, error.SocketErrorCode);
        Assert.StartsWith("Multiple exceptions: ", error.Message, StringComparison.Ordinal);
        var positions = expected.Split(' ').Select(address => error.Message.IndexOf(address, StringComparison.Ordinal)).ToList();
        Assert.All(positions, p => Assert.True(p > 0));
        Assert.Equal(positions.Order(), positions);
    }

    [Fact]
    public void WithoutDelay_InterleaveStillOrders_AndAttemptsRunOneAtATime()
    {
        var simulation = NewSimulation();
        simulation.Network.Dns.Add("dual.sim", "fd00::a", "fd00::b", "10.0.0.10");
        Run(simulation, async loop => await ConnectFails(loop, "dual.sim", delay: null, interleave: 1));
        var connects = Connects(simulation);
        Assert.Equal(["[fd00::a]:8080", "10.0.0.10:8080", "[fd00::b]:8080"], connects.Select(c => c.Address));
        Assert.Equal(ConnectTimeout, connects[1].Time - connects[0].Time, 6);
    }

    [Fact]
    public void AllFail_DifferentErrors_OneSocketExceptionNamingEachInAttemptOrder()
    {
        var simulation = NewSimulation();
        simulation.AddHost("idle.sim", "10.0.0.3");
        simulation.Network.Dns.Add("service.sim", "10.0.0.99", "10.0.0.3");
        var error = Run(simulation, async loop => await ConnectFails(loop, "service.sim", 0.25));
        // The dead address started first, so its TimedOut leads although the refusal came first.
        Assert.Equal(SocketError.TimedOut, error.SocketErrorCode);
        Assert.StartsWith("Multiple exceptions: [TimedOut] ", error.Message, StringComparison.Ordinal);
        Assert.Contains("[ConnectionRefused] ", error.Message, StringComparison.Ordinal);
        Assert.True(error.Message.IndexOf("10.0.0.99", StringComparison.Ordinal) < error.Message.IndexOf("10.0.0.3", StringComparison.Ordinal));
    }

    [Fact]
    public void AllFail_OneAddress_RaisesItsOwnError()
    {
        var simulation = NewSimulation();
        simulation.AddHost("idle.sim", "10.0.0.3");
        var error = Run(simulation, async loop => await ConnectFails(loop, "idle.sim", 0.25));
        Assert.Equal(SocketError.ConnectionRefused, error.SocketErrorCode);
        Assert.DoesNotContain("Multiple", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Cancelled_WhileAttemptsAreInFlight_ClosesEveryAttemptAndStartsNoMore()
    {
        var simulation = NewSimulation();
        simulation.Network.Dns.Add("dead.sim", "10.0.0.97", "10.0.0.98", "10.0.0.99");
        var cancelled = Run(simulation, async loop =>
        {
            var connect = loop.CreateTask(loop.CreateConnection(() => new RecordingProtocol(loop), "dead.sim", 8080, happyEyeballsDelay: 0.1));
            await Asyncio.Sleep(0.15);
            connect.Cancel();
            try
            {
                await connect;
                return false;
            }
            catch (CancelledError)
            {
                await Asyncio.Sleep(1);
                return connect.Cancelled;
            }
        });
        Assert.True(cancelled);
        Assert.Equal(["10.0.0.97:8080", "10.0.0.98:8080"], Connects(simulation).Select(c => c.Address));
        Assert.True(Closed(simulation, "10.0.0.97:8080") && Closed(simulation, "10.0.0.98:8080"), "an attempt outlived the cancelled race");
    }

    [Fact]
    public void SameSeed_SameRace_IdenticalTraces()
    {
        string Once()
        {
            var simulation = NewSimulation(seed: 5);
            simulation.AddHost("server.sim", "10.0.0.2", "fd00::2");
            simulation.Network.Dns.Add("service.sim", "fd00::99", "10.0.0.99", "fd00::2", "10.0.0.2");
            Run(simulation, async loop =>
            {
                var server = await loop.CreateServer(() => new RecordingProtocol(loop), "server.sim", 8080);
                var (transport, _) = await loop.CreateConnection(() => new RecordingProtocol(loop), "service.sim", 8080, happyEyeballsDelay: 0);
                transport.Close();
                server.Close();
                return 0;
            });
            return simulation.Trace.Hash;
        }
        Assert.Equal(Once(), Once());
    }
}

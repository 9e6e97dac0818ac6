using System.Net;
using System.Net.Sockets;
using Sim.Core;
using Sim.Net;
using Sim.Tests.Conformance;

namespace Sim.Tests.Network;

/// <summary>What only the simulated network can show deterministically: timeouts, DNS tables,
/// backlogs, hosts.</summary>
[Trait("Category", "Simulation")]
public sealed class SimNetworkTests
{
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

    private static Simulation NewSimulation(long seed = 1) => new(seed, new SimulationOptions { Log = TextWriter.Null });

    [Fact]
    public void Connect_AddressNoHostHas_TimesOutAfterConnectTimeout()
    {
        var simulation = NewSimulation();
        var (error, elapsed) = Run(simulation, async loop =>
        {
            try
            {
                await loop.CreateConnection(() => new RecordingProtocol(loop), "10.9.9.9", 80);
                return ((SocketException?)null, 0.0);
            }
            catch (SocketException e)
            {
                return (e, loop.Time());
            }
        });
        Assert.Equal(SocketError.TimedOut, error!.SocketErrorCode);
        Assert.Equal(127, elapsed, 3);
    }

    [Fact]
    public void Connect_NameWithDeadFirstAddress_FallsBackToTheNextInOrder()
    {
        var simulation = NewSimulation();
        simulation.AddHost("server.sim", "10.0.0.2");
        simulation.Network.Dns.Add("service.sim", "10.0.0.99", "10.0.0.2");
        var peer = Run(simulation, async loop =>
        {
            var server = await loop.CreateServer(() => new RecordingProtocol(loop), "server.sim", 8080);
            var (transport, _) = await loop.CreateConnection(() => new RecordingProtocol(loop), "service.sim", 8080);
            var address = (IPEndPoint)transport.GetExtraInfo("peername")!;
            transport.Close();
            server.Close();
            return address;
        });
        Assert.Equal(IPEndPoint.Parse("10.0.0.2:8080"), peer);
        Assert.Contains(simulation.Trace.Events, e => e.Kind == "dns.resolve" && e.Details == "service.sim -> 10.0.0.99, 10.0.0.2");
    }

    [Fact]
    public void ConnectingSocketClosed_LeavesNoTimerBehind()
    {
        // Closed with its SYN on the way: the socket cancels its connect timeout and the SYN's
        // arrival alike.
        var simulation = NewSimulation();
        simulation.AddHost("server.sim", "10.0.0.9");
        var network = (INetworkBackend)simulation.Loop.Backend;
        var timers = Run(simulation, async loop =>
        {
            await Asyncio.Sleep(0);
            var before = loop.LiveTimers;
            var socket = network.Connect(IPEndPoint.Parse("10.0.0.9:80"), null);
            Assert.Equal(before + 2, loop.LiveTimers);
            socket.Close();
            return (before, after: loop.LiveTimers);
        });
        Assert.Equal(timers.before, timers.after);
    }

    [Fact]
    public void Connect_BacklogFull_SynIsRetriedUntilAccepted()
    {
        var simulation = NewSimulation();
        var connected = Run(simulation, async loop =>
        {
            var server = await loop.CreateServer(() => new RecordingProtocol(loop), "127.0.0.1", 0, backlog: 1, startServing: false);
            var port = ((IPEndPoint)server.Sockets[0]).Port;
            // Linux queues one more than the backlog: two connections fit in a backlog of one.
            var first = loop.CreateTask(loop.CreateConnection(() => new RecordingProtocol(loop), "127.0.0.1", port));
            var second = loop.CreateTask(loop.CreateConnection(() => new RecordingProtocol(loop), "127.0.0.1", port));
            var third = loop.CreateTask(loop.CreateConnection(() => new RecordingProtocol(loop), "127.0.0.1", port));
            await Asyncio.Sleep(0.5);
            // The SYNs may arrive in any order (seeded latency): any two of them.
            Assert.Equal(2, new[] { first.Done, second.Done, third.Done }.Count(done => done));
            await server.StartServing();
            await first;
            await second;
            await third;
            server.Close();
            return loop.Time();
        });
        Assert.Contains(simulation.Trace.Events, e => e.Kind == "tcp.syn-drop");
        Assert.True(connected >= 1, $"the retried SYN was accepted at {connected} s, before the 1 s retransmission");
    }

    [Fact]
    public void ConnectFromHost_LocalAddressPicksTheHost_AndTheServerSeesIt()
    {
        var simulation = NewSimulation();
        simulation.AddHost("server.sim", "10.0.0.1", "fd00::1");
        simulation.AddHost("client.sim", "10.0.0.7");
        var seen = Run(simulation, async loop =>
        {
            var accepted = new List<RecordingProtocol>();
            var server = await loop.CreateServer(() =>
            {
                accepted.Add(new RecordingProtocol(loop));
                return accepted[^1];
            }, "server.sim", 9000, family: AddressFamily.InterNetwork);
            var (transport, _) = await loop.CreateConnection(() => new RecordingProtocol(loop), "server.sim", 9000,
                localAddress: new IPEndPoint(IPAddress.Parse("10.0.0.7"), 0));
            await accepted[0].Made;
            var peer = (IPEndPoint)accepted[0].Transport!.GetExtraInfo("peername")!;
            transport.Close();
            server.Close();
            return peer;
        });
        Assert.Equal(IPAddress.Parse("10.0.0.7"), seen.Address);
        Assert.Contains(simulation.Trace.Events, e => e is { Host: "client.sim", Kind: "tcp.connect" });
        Assert.Contains(simulation.Trace.Events, e => e is { Host: "server.sim", Kind: "tcp.accept" });
    }

    [Fact]
    public void AddHost_TakenNameOrAddress_Throws()
    {
        var simulation = NewSimulation();
        simulation.AddHost("a.sim", "10.0.0.1");
        Assert.Throws<ArgumentException>(() => simulation.AddHost("a.sim", "10.0.0.2"));
        Assert.Throws<ArgumentException>(() => simulation.AddHost("b.sim", "10.0.0.1"));
        Assert.Throws<ArgumentException>(() => simulation.AddHost("c.sim", "127.0.0.1"));
        simulation.Loop.Close();
    }

    [Fact]
    public void NetworkOptions_LatencyMinAboveMax_Rejected()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() =>
            new Simulation(1, new SimulationOptions { Network = new NetworkOptions { LatencyMin = 0.01, LatencyMax = 0.001 } }));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(100)]
    public void ChunkingOff_EverySendArrivesWhole_AndNoSizeIsDrawn(int writes)
    {
        const int Size = 60_000;
        var simulation = new Simulation(3, new SimulationOptions
        {
            Log = TextWriter.Null,
            Network = new NetworkOptions { ChunkSizeMin = 64 * 1024, ChunkSizeMax = 64 * 1024 },
        });
        var received = Run(simulation, async loop =>
        {
            var accepted = new List<RecordingProtocol>();
            var server = await loop.CreateServer(() =>
            {
                accepted.Add(new RecordingProtocol(loop));
                return accepted[^1];
            }, "127.0.0.1", 9000);
            var (transport, _) = await loop.CreateConnection(() => new RecordingProtocol(loop), "127.0.0.1", 9000);
            await accepted[0].Made;
            var message = new byte[Size / writes];
            for (var i = 0; i < writes; i++)
            {
                transport.Write(message);
                await Asyncio.Sleep(0.01);
            }
            transport.Close();
            await accepted[0].EofSeen;
            server.Close();
            return accepted[0];
        });
        Assert.Equal(writes, received.DataCalls);
        Assert.Equal(Size / writes * writes, received.Received.Length);
        Assert.All(simulation.Trace.Events.Where(e => e.Kind == "tcp.send"), e => Assert.EndsWith(" in 1 segments", e.Details));
        Assert.DoesNotContain(simulation.RecordedChoices, c => c.Kind == ChoiceKind.Int);
    }

    [Fact]
    public void DefaultChunking_SplitsAKibibyteSend()
    {
        var simulation = NewSimulation(5);
        var calls = Run(simulation, async loop =>
        {
            var accepted = new List<RecordingProtocol>();
            var server = await loop.CreateServer(() =>
            {
                accepted.Add(new RecordingProtocol(loop));
                return accepted[^1];
            }, "127.0.0.1", 9000);
            var (transport, _) = await loop.CreateConnection(() => new RecordingProtocol(loop), "127.0.0.1", 9000);
            await accepted[0].Made;
            for (var i = 0; i < 20; i++)
            {
                transport.Write(new byte[1024]);
                await Asyncio.Sleep(0.01);
            }
            transport.Close();
            await accepted[0].EofSeen;
            server.Close();
            return accepted[0].DataCalls;
        });
        Assert.True(calls > 40, $"20 sends of 1 KiB under the default chunking came in {calls} pieces");
    }

    [Theory]
    [InlineData(0, 10)]
    [InlineData(11, 10)]
    public void NetworkOptions_ChunkSizeMinOutsideOneToMax_Rejected(int chunkSizeMin, int chunkSizeMax)
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() =>
            new Simulation(1, new SimulationOptions { Network = new NetworkOptions { ChunkSizeMin = chunkSizeMin, ChunkSizeMax = chunkSizeMax } }));
        Assert.Equal("ChunkSizeMin", error.ParamName);
    }
}

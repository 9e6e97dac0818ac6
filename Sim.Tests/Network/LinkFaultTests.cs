using System.Net;
using System.Net.Sockets;
using System.Text;
using Sim.Core;
using Sim.Net;
using Sim.Tests.Conformance;
using static Sim.Tests.Conformance.ConformanceHelpers;

namespace Sim.Tests.Network;

/// <summary>
/// Partitions and clogs between simulated hosts (<see cref="SimNetwork.Partition"/>,
/// <see cref="SimNetwork.Clog"/>, <see cref="SimNetwork.Repair"/>): a stream's bytes wait at a cut
/// link and arrive in order once it is repaired, connects across it time out, datagrams are lost;
/// a clog delays everything to its end and loses nothing.
/// </summary>
[Trait("Category", "Simulation")]
public sealed class LinkFaultTests
{
    private const string ServerAddress = "10.0.0.2";
    private const int Port = 7000;

    private static (Simulation Simulation, Host Client, Host Server) NewWorld(long seed = 1, double connectTimeout = 127)
    {
        var simulation = new Simulation(seed, new SimulationOptions
        {
            Log = TextWriter.Null,
            Network = new NetworkOptions { ConnectTimeout = connectTimeout },
        });
        var server = simulation.AddHost("server", ServerAddress);
        return (simulation, simulation.Network.DefaultHost, server);
    }

    private static Coroutine<Server> EchoServer() => Asyncio.StartServer(async (reader, writer) =>
    {
        while (await reader.Read(100) is { Length: > 0 } data)
        {
            writer.Write(data);
            await writer.Drain();
        }
        writer.Close();
    }, ServerAddress, Port);

    private static string Text(byte[] data) => Encoding.ASCII.GetString(data);

    [Fact]
    public void StreamBytes_WaitAtAPartition_AndArriveInOrderOnceRepaired()
    {
        var (simulation, client, server) = NewWorld();
        var loop = simulation.Loop;
        var (echoed, waitedAtLeast) = simulation.RunUntilComplete(Main());
        Assert.Equal("hello world", echoed);
        Assert.True(waitedAtLeast >= 30, $"the bytes crossed the partition after {waitedAtLeast} s");
        Assert.Contains(simulation.Trace.Events, e => e is { Kind: "net.partition", Details: "localhost <-> server" });

        async Coroutine<(string, double)> Main()
        {
            await using var echo = await EchoServer();
            var (reader, writer) = await Asyncio.OpenConnection(ServerAddress, Port);
            simulation.Network.Partition(client, server);
            var cutAt = loop.Time();
            writer.Write("hello "u8.ToArray());
            writer.Write("world"u8.ToArray());
            var early = await Raises(Asyncio.WaitFor(reader.ReadExactly(11), 30));
            Assert.IsType<TimeoutException>(early);
            simulation.Network.Repair(client, server);
            var echoed = Text(await reader.ReadExactly(11));
            var waited = loop.Time() - cutAt;
            writer.Close();
            return (echoed, waited);
        }
    }

    [Fact]
    public void AOneWayPartition_HoldsOnlyThatWay()
    {
        var (simulation, client, server) = NewWorld();
        var loop = simulation.Loop;
        var log = simulation.RunUntilComplete(Main());
        Assert.Equal(["server spoke first", "client held", "client arrived after repair"], log);

        async Coroutine<List<string>> Main()
        {
            var log = new List<string>();
            var heard = loop.CreateFuture<string>();
            await using var listener = await Asyncio.StartServer(async (reader, writer) =>
            {
                writer.Write("first"u8.ToArray());
                await writer.Drain();
                heard.SetResult(Text(await reader.ReadExactly(6)));
                writer.Close();
            }, ServerAddress, Port);
            var (reader, writer) = await Asyncio.OpenConnection(ServerAddress, Port);
            simulation.Network.Partition(client, server, oneWay: true);
            writer.Write("client"u8.ToArray());
            if (Text(await reader.ReadExactly(5)) == "first")
                log.Add("server spoke first");
            await Asyncio.Sleep(10);
            if (!heard.Done)
                log.Add("client held");
            simulation.Network.Repair(client, server, oneWay: true);
            if (await heard == "client")
                log.Add("client arrived after repair");
            writer.Close();
            return log;
        }
    }

    [Fact]
    public void AConnectAcrossAPartition_TimesOut_AndOneRepairedInTimeSucceeds()
    {
        var (simulation, client, server) = NewWorld(connectTimeout: 20);
        var loop = simulation.Loop;
        simulation.RunUntilComplete(Main());
        Assert.Contains(simulation.Trace.Events, e => e.Kind == "tcp.syn-drop" && e.Details.EndsWith("the link is partitioned", StringComparison.Ordinal));

        async Coroutine Main()
        {
            await using var echo = await EchoServer();
            simulation.Network.Partition(client, server);
            var start = loop.Time();
            var error = await Raises(Asyncio.OpenConnection(ServerAddress, Port));
            Assert.Equal(SocketError.TimedOut, Assert.IsType<SocketException>(error).SocketErrorCode);
            Assert.Equal(20, loop.Time() - start, precision: 6);

            var connecting = loop.CreateTask(Asyncio.OpenConnection(ServerAddress, Port));
            await Asyncio.Sleep(3);
            simulation.Network.Repair(client, server);
            var (reader, writer) = await connecting;
            writer.Write("ok"u8.ToArray());
            Assert.Equal("ok", Text(await reader.ReadExactly(2)));
            writer.Close();
        }
    }

    [Fact]
    public void AHeldSynAck_LetsTheConnectTimeOut_AndIsResetWhenItArrivesLate()
    {
        var (simulation, client, server) = NewWorld(connectTimeout: 5);
        var loop = simulation.Loop;
        simulation.RunUntilComplete(Main());

        async Coroutine Main()
        {
            await using var echo = await EchoServer();
            // The SYN gets through; the server's answer is held.
            simulation.Network.Partition(server, client, oneWay: true);
            var error = await Raises(Asyncio.OpenConnection(ServerAddress, Port));
            Assert.Equal(SocketError.TimedOut, Assert.IsType<SocketException>(error).SocketErrorCode);
            simulation.Network.RepairAll();
            await Asyncio.Sleep(1);
            // The late SYN-ACK is answered with a reset, which the server's side receives.
            Assert.Contains(simulation.Trace.Events, e => e.Kind == "tcp.reset" && e.Host == "server");
        }
    }

    [Fact]
    public void ARefusalThatCannotCrossBack_IsLost_AndTheConnectTimesOut()
    {
        var (simulation, client, server) = NewWorld(connectTimeout: 5);
        var loop = simulation.Loop;
        simulation.RunUntilComplete(Main());
        Assert.Contains(simulation.Trace.Events, e => e.Kind == "tcp.rst-lost");

        async Coroutine Main()
        {
            // Nothing listens on the server; its refusal is cut on the way back.
            simulation.Network.Partition(server, client, oneWay: true);
            var error = await Raises(Asyncio.OpenConnection(ServerAddress, Port));
            Assert.Equal(SocketError.TimedOut, Assert.IsType<SocketException>(error).SocketErrorCode);
            simulation.Network.RepairAll();
            var refused = await Raises(Asyncio.OpenConnection(ServerAddress, Port));
            Assert.Equal(SocketError.ConnectionRefused, Assert.IsType<SocketException>(refused).SocketErrorCode);
        }
    }

    [Fact]
    public void AClog_DelaysEverythingToItsEnd_AndLosesNothing()
    {
        var (simulation, client, server) = NewWorld();
        var loop = simulation.Loop;
        var (echoed, took) = simulation.RunUntilComplete(Main());
        Assert.Equal("clogged", echoed);
        Assert.InRange(took, 2.0, 2.5);

        async Coroutine<(string, double)> Main()
        {
            await using var echo = await EchoServer();
            var (reader, writer) = await Asyncio.OpenConnection(ServerAddress, Port);
            simulation.Network.Clog(client, server, TimeSpan.FromSeconds(2));
            var start = loop.Time();
            writer.Write("clogged"u8.ToArray());
            var echoed = Text(await reader.ReadExactly(7));
            writer.Close();
            return (echoed, loop.Time() - start);
        }
    }

    [Fact]
    public void Datagrams_AreLostAtAPartition_AndDelayedByAClog()
    {
        var (simulation, client, server) = NewWorld();
        var loop = simulation.Loop;
        var (texts, clogArrival) = simulation.RunUntilComplete(Main());
        Assert.Equal(["before", "clogged"], texts);
        Assert.True(clogArrival >= 3.0, $"the clogged datagram arrived at {clogArrival} s");
        Assert.Contains(simulation.Trace.Events, e => e.Kind == "udp.drop" && e.Details.EndsWith("the link is partitioned", StringComparison.Ordinal));

        async Coroutine<(List<string>, double)> Main()
        {
            var arrivals = new List<double>();
            var (serverTransport, receiver) = await loop.CreateDatagramEndpoint(
                () => new RecordingDatagramProtocol(loop) { OnDatagram = (_, _, _) => arrivals.Add(loop.Time()) },
                localAddress: (ServerAddress, Port));
            var (sender, _) = await loop.CreateDatagramEndpoint(() => new RecordingDatagramProtocol(loop), remoteAddress: (ServerAddress, Port));
            sender.SendTo("before"u8.ToArray());
            await Asyncio.Sleep(1);
            simulation.Network.Partition(client, server);
            sender.SendTo("lost"u8.ToArray());
            await Asyncio.Sleep(1);
            simulation.Network.Repair(client, server);
            var start = loop.Time();
            simulation.Network.Clog(client, server, TimeSpan.FromSeconds(3));
            sender.SendTo("clogged"u8.ToArray());
            await Asyncio.Sleep(5);
            sender.Close();
            serverTransport.Close();
            return (receiver.Texts, arrivals[^1] - start);
        }
    }

    [Fact]
    public void APartitionNeverRepaired_EndsInADeadlockReportNamingTheHeldStream()
    {
        var (simulation, client, server) = NewWorld();
        var error = Assert.Throws<DeadlockException>(() => simulation.RunUntilComplete(Main()));
        Assert.Contains("Held at partitioned links until a repair (1)", error.Message, StringComparison.Ordinal);
        Assert.Contains("(localhost -> server, 5 bytes in flight)", error.Message, StringComparison.Ordinal);

        async Coroutine Main()
        {
            await using var echo = await EchoServer();
            var (reader, writer) = await Asyncio.OpenConnection(ServerAddress, Port);
            simulation.Network.Partition(client, server);
            writer.Write("stuck"u8.ToArray());
            await reader.ReadExactly(5);
        }
    }

    [Fact]
    public void BadLinks_AreRefused()
    {
        var (simulation, client, server) = NewWorld();
        var network = simulation.Network;
        Assert.Throws<ArgumentException>(() => network.Partition(server, server));
        Assert.Throws<ArgumentNullException>(() => network.Partition(client, null!));
        var stranger = new Simulation(2, new SimulationOptions { Log = TextWriter.Null }).AddHost("stranger", "10.9.9.9");
        Assert.Contains("stranger is not a host of this network", Assert.Throws<ArgumentException>(() => network.Clog(client, stranger, TimeSpan.FromSeconds(1))).Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentOutOfRangeException>(() => network.Clog(client, server, TimeSpan.FromSeconds(-1)));
    }

    [Fact]
    public void FaultsAtSeededTimes_GiveTheSameTraceForTheSameSeed()
    {
        static string RunOnce(long seed)
        {
            var (simulation, client, server) = NewWorld(seed);
            var loop = simulation.Loop;
            async Coroutine Faults()
            {
                for (var i = 0; i < 5; i++)
                {
                    await Asyncio.Sleep(simulation.Choices.NextDouble());
                    simulation.Network.Partition(client, server, oneWay: simulation.Choices.NextBool());
                    await Asyncio.Sleep(simulation.Choices.NextDouble());
                    simulation.Network.RepairAll();
                    simulation.Network.Clog(client, server, TimeSpan.FromSeconds(simulation.Choices.NextDouble()));
                }
            }
            async Coroutine Main()
            {
                await using var echo = await EchoServer();
                var faults = loop.CreateTask(Faults());
                var (reader, writer) = await Asyncio.OpenConnection(ServerAddress, Port);
                for (var i = 0; i < 50; i++)
                {
                    var message = Encoding.ASCII.GetBytes($"message {i:00}");
                    writer.Write(message);
                    Assert.Equal(message, await reader.ReadExactly(message.Length));
                    await Asyncio.Sleep(0.05);
                }
                writer.Close();
                await faults;
            }
            simulation.RunUntilComplete(Main());
            return simulation.Trace.Hash;
        }
        Assert.Equal(RunOnce(8), RunOnce(8));
        Assert.NotEqual(RunOnce(8), RunOnce(9));
    }
}

using System.Net.Sockets;
using Sim.Core;
using Sim.Net;
using Sim.Tests.Conformance;

namespace Sim.Tests.Network;

/// <summary>What only the simulated network shows about Unix-domain sockets: determinism over seeds,
/// the file namespace, a full backlog, Linux's peer-closed rules, the trace.</summary>
[Trait("Category", "Simulation")]
public sealed class SimUnixSocketTests
{
    private const string Path = "/run/app.sock";

    private static Simulation NewSimulation(long seed = 1) => new(seed, new SimulationOptions { Log = TextWriter.Null });

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

    /// <summary>Three clients echo 20 KiB each through a Unix server; returns what they got back.</summary>
    private static async Coroutine<string> EchoScenario(EventLoop loop)
    {
        var server = await Asyncio.StartUnixServer(async (reader, writer) =>
        {
            while (await reader.Read(4096) is { Length: > 0 } chunk)
            {
                writer.Write(chunk);
                await writer.Drain();
            }
            writer.Close();
            await writer.WaitClosed();
        }, Path);
        async Coroutine<int> Client(int id)
        {
            var (reader, writer) = await Asyncio.OpenUnixConnection(Path);
            var data = new byte[20_000];
            for (var i = 0; i < data.Length; i++)
                data[i] = (byte)(i * 7 + id);
            writer.Write(data);
            writer.WriteEof();
            var back = await reader.Read();
            var total = new List<byte>(back);
            while (await reader.Read() is { Length: > 0 } more)
                total.AddRange(more);
            Assert.Equal(data, total.ToArray());
            writer.Close();
            await writer.WaitClosed();
            return total.Count;
        }
        var counts = await Asyncio.Gather(Client(1), Client(2), Client(3));
        server.Close();
        await server.WaitClosed();
        return string.Join(",", counts);
    }

    [Fact]
    public void Echo_HundredSeedsEachRunTwice_IdenticalTracesAndDifferentSeedsDiffer()
    {
        var hashes = new List<string>();
        for (var seed = 1; seed <= 100; seed++)
        {
            var report = Simulation.RunTwice(seed, simulation => Assert.Equal("20000,20000,20000", simulation.RunUntilComplete(EchoScenario(simulation.Loop))),
                new SimulationOptions { Log = TextWriter.Null });
            Assert.False(report.Diverged, report.ToString());
            var simulation = NewSimulation(seed);
            Run(simulation, EchoScenario);
            Assert.Equal(0, simulation.Network.OpenConnections);
            Assert.Contains(simulation.Trace.Events, e => e.Kind == "unix.connect");
            Assert.Contains(simulation.Trace.Events, e => e.Kind == "unix.accept");
            Assert.Contains(simulation.Trace.Events, e => e.Kind == "unix.eof");
            Assert.DoesNotContain(simulation.Trace.Events, e => e.Kind.StartsWith("tcp.", StringComparison.Ordinal));
            hashes.Add(simulation.Trace.Hash);
        }
        Assert.True(hashes.Distinct(StringComparer.Ordinal).Count() >= 95, "chunk sizes and latencies are drawn from the seed");
    }

    [Fact]
    public void RemovingTheSocketFile_KeepsConnectionsButNewConnectsFindNothing()
    {
        var simulation = NewSimulation();
        Run(simulation, async loop =>
        {
            var accepted = new List<RecordingProtocol>();
            var server = await loop.CreateUnixServer(() =>
            {
                accepted.Add(new RecordingProtocol(loop) { OnData = (p, data) => p.Transport!.Write(data) });
                return accepted[^1];
            }, Path);
            var (transport, client) = await loop.CreateUnixConnection(() => new RecordingProtocol(loop), Path);
            Assert.True(simulation.Network.DefaultHost.RemovePath(Path));
            var error = await Assert.ThrowsAsync<SocketException>(async () => await loop.CreateTask(loop.CreateUnixConnection(() => new RecordingProtocol(loop), Path)));
            Assert.Equal(SocketError.AddressNotAvailable, error.SocketErrorCode);
            transport.Write("still"u8);
            while (client.Received.Length < 5)
                await Asyncio.Sleep(0.001);
            Assert.Equal("still"u8.ToArray(), client.Received);
            transport.Close();
            server.Close();
            Assert.False(simulation.Network.DefaultHost.PathExists(Path));
            await server.WaitClosed();
            return 0;
        });
    }

    [Fact]
    public void Connect_BacklogFull_FailsAtOnceWithWouldBlock_AsLinuxNonBlockingConnects()
    {
        var simulation = NewSimulation();
        Run(simulation, async loop =>
        {
            var unix = (IUnixNetworkBackend)loop.Backend;
            var listener = unix.ListenUnix(Path, backlog: 1);
            var first = await loop.CreateUnixConnection(() => new RecordingProtocol(loop), Path);
            var second = await loop.CreateUnixConnection(() => new RecordingProtocol(loop), Path);
            var error = Assert.Throws<SocketException>(() => unix.ConnectUnix(Path));
            Assert.Equal(SocketError.WouldBlock, error.SocketErrorCode);
            Assert.NotNull(listener.TryAccept());
            var third = unix.ConnectUnix(Path);
            third.Close();
            first.Transport.Close();
            second.Transport.Close();
            listener.Close();
            Assert.True(simulation.Network.DefaultHost.PathExists(Path), "a listener's close leaves its socket file");
            Assert.Equal(new UnixPathInfo(IsSocket: true, unix.StatUnixPath(Path)!.Value.Identity), unix.StatUnixPath(Path));
            return 0;
        });
    }

    [Fact]
    public void PeerClosed_SendFailsAtOnceWithBrokenPipe_AndAbortClosesWithoutReset()
    {
        var simulation = NewSimulation();
        Run(simulation, async loop =>
        {
            var unix = (IUnixNetworkBackend)loop.Backend;
            var listener = unix.ListenUnix(Path, backlog: 4);
            var client = unix.ConnectUnix(Path);
            var (server, _) = await loop.SockAccept(listener);
            server.Abort();
            var error = Assert.Throws<SocketException>(() => client.Send("late"u8));
            Assert.Equal(SocketError.Shutdown, error.SocketErrorCode);
            Assert.Empty(await loop.SockRecv(client, 10));
            Assert.DoesNotContain(simulation.Trace.Events, e => e.Kind is "unix.rst" or "unix.reset");
            client.Close();
            listener.Close();
            return 0;
        });
    }

    [Fact]
    public void PeerClosedOverUnreadBytes_SendFailsWithBrokenPipe_ThenReceiveRaisesResetOnce()
    {
        // As Linux gives it (checked with CPython): send EPIPE, recv ECONNRESET, then recv b''.
        var simulation = NewSimulation();
        Run(simulation, async loop =>
        {
            var unix = (IUnixNetworkBackend)loop.Backend;
            var listener = unix.ListenUnix(Path, backlog: 4);
            var client = unix.ConnectUnix(Path);
            var (server, _) = await loop.SockAccept(listener);
            await loop.SockSendall(client, "unread"u8.ToArray());
            await Asyncio.Sleep(1);
            server.Close();
            await Asyncio.Sleep(1);
            Assert.Equal(SocketError.Shutdown, Assert.Throws<SocketException>(() => client.Send("x"u8)).SocketErrorCode);
            Assert.Equal(SocketError.ConnectionReset, Assert.Throws<SocketException>(() => client.Receive(new byte[10])).SocketErrorCode);
            Assert.Equal(0, client.Receive(new byte[10]));
            client.Close();
            listener.Close();
            return 0;
        });
    }

    [Fact]
    public void FileNamespace_PlainFilesAndBadPaths_AreCheckedClearly()
    {
        var host = NewSimulation().Network.DefaultHost;
        host.CreateFile("/etc/config");
        Assert.True(host.PathExists("/etc/config"));
        Assert.Throws<ArgumentException>(() => host.CreateFile("/etc/config"));
        Assert.Throws<ArgumentException>(() => host.CreateFile(""));
        Assert.Throws<ArgumentException>(() => host.CreateFile("/" + new string('x', UnixEndPoint.PathBytesMax)));
        Assert.True(host.RemovePath("/etc/config"));
        Assert.False(host.RemovePath("/etc/config"));
    }
}

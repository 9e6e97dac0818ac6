using System.Net;
using System.Net.Sockets;
using Sim.Core;
using Sim.Net;
using Sim.Real;
using Sim.Real.Linux;
using Sim.Tests.Conformance;

namespace Sim.Tests.Real;

/// <summary>
/// <c>loop.Sendfile</c> and <c>loop.SockSendfile</c>: sendfile(2) on epoll for a file stream, the
/// read-and-write fallback elsewhere (the simulation, the portable backend, a stream that is not
/// a file), <see cref="SendfileNotAvailableException"/> when the fallback is refused, the range and
/// the file position asyncio gives, and the bytes verified on the peer. Files live in a temporary
/// directory; waits are bounded by loop time.
/// </summary>
[Trait("Category", "Unit")]
public sealed class SendfileTests : IDisposable
{
    private const double TimeLimit = 30;

    private readonly string _directory = Directory.CreateTempSubdirectory("simloop-sendfile-").FullName;

    public static TheoryData<string> Backends() => ["epoll", "portable", "simulation"];

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private static bool Unavailable(string backend) => backend == "epoll" && !OperatingSystem.IsLinux();

    private static EventLoop CreateLoop(string backend) => BoundedRun.CreateLoop(backend, seed: 9);

    private static T Run<T>(EventLoop loop, Func<EventLoop, Coroutine<T>> body) => BoundedRun.Run(loop, TimeLimit, body);

    private static byte[] Content(int size)
    {
        var content = new byte[size];
        for (var i = 0; i < size; i++)
            content[i] = (byte)((i * 31) + (i >> 8));
        return content;
    }

    private FileStream FileWith(byte[] content)
    {
        var path = Path.Combine(_directory, Path.GetRandomFileName());
        File.WriteAllBytes(path, content);
        return new FileStream(path, FileMode.Open, FileAccess.Read);
    }

    private static async Coroutine WaitFor(Func<bool> condition)
    {
        while (!condition())
            await Asyncio.Sleep(0.001);
    }

    [Theory]
    [MemberData(nameof(Backends))]
    public void Sendfile_WholeFile_ArrivesIntactThenTheProtocolIsBackAndReading(string backend)
    {
        if (Unavailable(backend))
            return;
        var content = Content(1 << 20);
        using var file = FileWith(content);
        var (sent, received, position, sendfileCalls, protocolBack, reply) = Run(CreateLoop(backend), async loop =>
        {
            var (server, peer, client) = await LoopbackConnection.Open(loop);
            var protocol = (RecordingProtocol)client.GetProtocol();
            var total = await loop.Sendfile(client, file);
            await WaitFor(() => peer.Received.Length >= content.Length);
            // Reading goes on after: the client's own protocol hears the peer again.
            peer.Transport!.Write("ack"u8);
            await WaitFor(() => protocol.Received.Length >= 3);
            var calls = loop.Backend is EpollBackend epoll ? epoll.SendfileCalls : 0;
            var result = (total, peer.Received, file.Position, calls, client.GetProtocol() == protocol, protocol.Received);
            client.Close();
            server.Close();
            return result;
        });

        Assert.Equal(content.Length, sent);
        Assert.Equal(content, received);
        Assert.Equal(content.Length, position);
        Assert.True(protocolBack, "the transport did not get its protocol back");
        Assert.Equal("ack"u8.ToArray(), reply);
        if (backend == "epoll")
            Assert.True(sendfileCalls > 0, "epoll did not use sendfile(2)");
    }

    [Theory]
    [MemberData(nameof(Backends))]
    public void Sendfile_OffsetAndCount_SendsThatRangeAndLeavesThePositionAfterIt(string backend)
    {
        if (Unavailable(backend))
            return;
        var content = Content(100_000);
        using var file = FileWith(content);
        var (sent, received, position) = Run(CreateLoop(backend), async loop =>
        {
            var (server, peer, client) = await LoopbackConnection.Open(loop);
            var total = await loop.Sendfile(client, file, offset: 1_000, count: 50_000);
            await WaitFor(() => peer.Received.Length >= 50_000);
            // Nothing more comes.
            await Asyncio.Sleep(0.05);
            var result = (total, peer.Received, file.Position);
            client.Close();
            server.Close();
            return result;
        });

        Assert.Equal(50_000, sent);
        Assert.Equal(content.AsSpan(1_000, 50_000).ToArray(), received);
        Assert.Equal(51_000, position);
    }

    [Theory]
    [MemberData(nameof(Backends))]
    public void Sendfile_SecondWhileOneIsInProgress_IsRefusedAndTheFirstArrivesWhole(string backend)
    {
        if (Unavailable(backend))
            return;
        var content = Content(8 << 20);
        using var first = FileWith(content);
        using var second = FileWith(Content(1_000));
        var (sent, received, refusal) = Run(CreateLoop(backend), async loop =>
        {
            var (server, peer, client) = await LoopbackConnection.Open(loop);
            // The peer reads nothing for now: the first sendfile cannot finish at once.
            peer.Transport!.PauseReading();
            var running = loop.CreateTask(loop.Sendfile(client, first));
            await Asyncio.Sleep(0.01);
            string? message = null;
            try
            {
                await loop.Sendfile(client, second);
            }
            catch (InvalidOperationException e)
            {
                message = e.Message;
            }
            peer.Transport.ResumeReading();
            var total = await running;
            await WaitFor(() => peer.Received.Length >= content.Length);
            var result = (total, peer.Received, message);
            client.Close();
            server.Close();
            return result;
        });

        Assert.Equal("sendfile is already in progress on this transport", refusal);
        Assert.Equal(content.Length, sent);
        Assert.Equal(content, received);
    }

    [Fact]
    public void Sendfile_FallbackInSimulationToAPausedReader_WaitsForTheTransportAndKeepsItsBufferBounded()
    {
        var content = Content(4 << 20);
        using var file = FileWith(content);
        var (received, bufferedMax) = Run(CreateLoop("simulation"), async loop =>
        {
            var (server, peer, client) = await LoopbackConnection.Open(loop);
            peer.Transport!.PauseReading();
            var bufferedMax = 0;
            var sending = loop.CreateTask(loop.Sendfile(client, file));
            // While the peer reads nothing, the fallback waits for the transport to drain.
            for (var i = 0; i < 100; i++)
            {
                await Asyncio.Sleep(0.01);
                bufferedMax = Math.Max(bufferedMax, client.GetWriteBufferSize());
            }
            Assert.False(sending.Done, "the whole file went out to a reader that reads nothing");
            peer.Transport.ResumeReading();
            while (!sending.Done)
            {
                bufferedMax = Math.Max(bufferedMax, client.GetWriteBufferSize());
                await Asyncio.Sleep(0.001);
            }
            Assert.Equal(content.Length, sending.Result());
            await WaitFor(() => peer.Received.Length >= content.Length);
            client.Close();
            server.Close();
            return (peer.Received, bufferedMax);
        });

        Assert.Equal(content, received);
        // The high-water mark plus one chunk at most: the fallback drains before each write.
        Assert.InRange(bufferedMax, 1, (64 * 1024) + (16 * 1024));
    }

    [Fact]
    public void Sendfile_FallbackWhenThePeerResetsWhileWritingIsPaused_TellsTheProtocolNothingAfterItsLoss()
    {
        var content = Content(4 << 20);
        using var file = FileWith(content);
        var loop = CreateLoop("simulation");
        var errors = new List<string>();
        loop.SetExceptionHandler((_, context) => errors.Add(context.ToString()));
        var (error, protocol) = Run(loop, async loop =>
        {
            var (server, peer, client) = await LoopbackConnection.Open(loop);
            peer.Transport!.PauseReading();
            var sending = loop.CreateTask(loop.Sendfile(client, file));
            await Asyncio.Sleep(0.1);
            Assert.True(((SocketTransport)client).WritingPaused, "the fallback's writes never filled the transport");
            peer.Transport.Abort();
            var error = await ConformanceHelpers.Raises(sending);
            server.Close();
            return (error, (RecordingProtocol)client.GetProtocol());
        });

        Assert.Equal(SocketError.ConnectionReset, Assert.IsType<SocketException>(error).SocketErrorCode);
        Assert.Equal(["made", "lost:ConnectionReset"], protocol.Events);
        // The pause happened while the fallback stood in; the protocol, lost since, hears of none.
        Assert.Equal(0, protocol.PauseCount);
        Assert.Empty(errors);
    }

    [Theory]
    [InlineData("portable")]
    [InlineData("simulation")]
    public void Sendfile_NoSendfileAndFallbackFalse_RaisesSendfileNotAvailableAndTheTransportStaysUsable(string backend)
    {
        using var file = FileWith(Content(1_000));
        var (error, received) = Run(CreateLoop(backend), async loop =>
        {
            var (server, peer, client) = await LoopbackConnection.Open(loop);
            Exception? thrown = null;
            try
            {
                await loop.Sendfile(client, file, fallback: false);
            }
            catch (SendfileNotAvailableException e)
            {
                thrown = e;
            }
            client.Write("still"u8);
            await WaitFor(() => peer.Received.Length >= 5);
            client.Close();
            server.Close();
            return (thrown, peer.Received);
        });

        Assert.NotNull(error);
        Assert.Equal("still"u8.ToArray(), received);
    }

    [Fact]
    public void Sendfile_MemoryStreamOnEpoll_FallsBackOrRaisesWhenFallbackIsRefused()
    {
        if (!OperatingSystem.IsLinux())
            return;
        var content = Content(70_000);
        var (refused, sent, received) = Run(CreateLoop("epoll"), async loop =>
        {
            var (server, peer, client) = await LoopbackConnection.Open(loop);
            Exception? thrown = null;
            try
            {
                await loop.Sendfile(client, new MemoryStream(content), fallback: false);
            }
            catch (SendfileNotAvailableException e)
            {
                thrown = e;
            }
            var total = await loop.Sendfile(client, new MemoryStream(content));
            await WaitFor(() => peer.Received.Length >= content.Length);
            client.Close();
            server.Close();
            return (thrown, total, peer.Received);
        });

        Assert.IsType<SendfileNotAvailableException>(refused);
        Assert.Equal(content.Length, sent);
        Assert.Equal(content, received);
    }

    [Fact]
    public void Sendfile_TransportAbortedWhileSendfileWaitsOnEpoll_RaisesConnectionResetInsteadOfWaitingForEver()
    {
        if (!OperatingSystem.IsLinux())
            return;
        var path = Path.Combine(_directory, "large");
        using (var sparse = new FileStream(path, FileMode.CreateNew))
        {
            // 256 MB of zeros, far more than the socket buffers of a peer that reads nothing.
            sparse.SetLength(256L << 20);
        }
        using var file = new FileStream(path, FileMode.Open, FileAccess.Read);
        var (blocked, error, writeDuring) = Run(CreateLoop("epoll"), async loop =>
        {
            var (server, peer, client) = await LoopbackConnection.Open(loop);
            peer.Transport!.PauseReading();
            var sending = loop.CreateTask(loop.Sendfile(client, file));
            await Asyncio.Sleep(0.2);
            var waiting = !sending.Done;
            var refused = Record.Exception(() => client.Write("x"u8));
            client.Abort();
            Exception? thrown = null;
            try
            {
                await sending;
            }
            catch (Exception e)
            {
                thrown = e;
            }
            server.Close();
            return (waiting, thrown, refused);
        });

        Assert.True(blocked, "the whole file went out to a peer that reads nothing");
        Assert.Contains("sendfile is in progress", Assert.IsType<InvalidOperationException>(writeDuring).Message, StringComparison.Ordinal);
        Assert.Equal(System.Net.Sockets.SocketError.ConnectionReset, Assert.IsType<System.Net.Sockets.SocketException>(error).SocketErrorCode);
    }

    [Theory]
    [MemberData(nameof(Backends))]
    public void SockSendfile_ConnectedSockets_FileArrivesIntactOnThePeer(string backend)
    {
        if (Unavailable(backend))
            return;
        var content = Content(300_000);
        using var file = FileWith(content);
        var (sent, received, sendfileCalls) = Run(CreateLoop(backend), async loop =>
        {
            var network = (INetworkBackend)loop.Backend;
            var listener = network.Listen(new IPEndPoint(IPAddress.Loopback, 0), backlog: 8);
            var client = await loop.SockConnect((IPEndPoint)listener.LocalEndPoint);
            var (peer, _) = await loop.SockAccept(listener);
            var receiving = loop.CreateTask(ReceiveAll(loop, peer, content.Length));
            var total = await loop.SockSendfile(client, file);
            var bytes = await receiving;
            var calls = loop.Backend is EpollBackend epoll ? epoll.SendfileCalls : 0;
            client.Close();
            peer.Close();
            listener.Close();
            return (total, bytes, calls);
        });

        Assert.Equal(content.Length, sent);
        Assert.Equal(content, received);
        if (backend == "epoll")
            Assert.True(sendfileCalls > 0, "epoll did not use sendfile(2)");
    }

    [Fact]
    public void SockSendfile_SimulationWithoutFallback_RaisesSendfileNotAvailable()
    {
        using var file = FileWith(Content(10));
        var error = Run(CreateLoop("simulation"), async loop =>
        {
            var network = (INetworkBackend)loop.Backend;
            var listener = network.Listen(new IPEndPoint(IPAddress.Loopback, 0), backlog: 8);
            var client = await loop.SockConnect((IPEndPoint)listener.LocalEndPoint);
            try
            {
                await loop.SockSendfile(client, file, fallback: false);
                return null;
            }
            catch (SendfileNotAvailableException e)
            {
                return e;
            }
            finally
            {
                client.Close();
                listener.Close();
            }
        });

        Assert.NotNull(error);
    }

    [Fact]
    public void Sendfile_BadArguments_RaiseSayingWhatWasWrong()
    {
        using var file = FileWith(Content(10));
        Run(CreateLoop("simulation"), async loop =>
        {
            var (server, _, client) = await LoopbackConnection.Open(loop);
            var offset = Assert.Throws<ArgumentOutOfRangeException>(() => loop.Sendfile(client, file, offset: -1));
            Assert.Contains("non-negative", offset.Message, StringComparison.Ordinal);
            var count = Assert.Throws<ArgumentOutOfRangeException>(() => loop.Sendfile(client, file, count: 0));
            Assert.Contains("positive", count.Message, StringComparison.Ordinal);
            client.Close();
            Assert.Throws<InvalidOperationException>(() => loop.Sendfile(client, file));
            server.Close();
            return 0;
        });
    }

    private static async Coroutine<byte[]> ReceiveAll(EventLoop loop, IStreamSocket socket, int length)
    {
        var received = new List<byte>(length);
        while (received.Count < length && await loop.SockRecv(socket, 65536) is { Length: > 0 } chunk)
            received.AddRange(chunk);
        return [.. received];
    }
}

using System.Net;
using System.Net.Sockets;
using System.Text;
using Sim.Core;

namespace Sim.Tests.Conformance;

/// <summary>
/// A backend keeps its side of the primitive contract (<see cref="IStreamSocket"/>,
/// <see cref="IStreamListener"/>): readiness, accept, bytes, end of stream, reset and refusal as
/// a real socket gives them. Written once; each backend is a subclass that says how to make its
/// loop. Real backends use loopback only; every wait is bounded by the loop's own timeout.
/// </summary>
public abstract class StreamPrimitiveConformance
{
    // Generous: loopback answers in microseconds, but the machine may be loaded.
    private const double WaitMax = 10;

    public static TheoryData<string> Loopbacks() => new() { "127.0.0.1", "::1" };

    /// <summary>A new loop whose backend implements <see cref="INetworkBackend"/>, or null when
    /// the platform lacks it (the test then has nothing to check).</summary>
    protected abstract EventLoop? CreateLoop();

    /// <summary>Whether the backend can serve <paramref name="address"/> here (::1 needs IPv6).</summary>
    protected virtual bool Supports(string address) => address != "::1" || Socket.OSSupportsIPv6;

    [Theory]
    [MemberData(nameof(Loopbacks))]
    public void ConnectAcceptSendReceive_Loopback_BytesThenEndOfStreamThenReset(string address)
    {
        if (!Supports(address) || CreateLoop() is not { } loop)
            return;
        var network = (INetworkBackend)loop.Backend;
        async Coroutine<string> Main()
        {
            var listener = network.Listen(new IPEndPoint(IPAddress.Parse(address), 0), backlog: 8);
            Assert.Null(listener.TryAccept());
            var client = network.Connect((IPEndPoint)listener.LocalEndPoint, local: null);
            await Ready(loop, client.Watch, IoReadiness.Writable);
            client.FinishConnect();
            await Ready(loop, listener.Watch, IoReadiness.Readable);
            var server = listener.TryAccept();
            Assert.NotNull(server);

            Assert.Equal(5, client.Send("hello"u8));
            // TCP may hand the bytes over in pieces (the simulation does on purpose).
            var buffer = new byte[64];
            var received = 0;
            while (received < 5)
            {
                await Ready(loop, server.Watch, IoReadiness.Readable);
                var count = server.Receive(buffer.AsSpan(received));
                if (count > 0)
                    received += count;
            }
            var text = Encoding.ASCII.GetString(buffer, 0, received);

            Assert.Equal(IStreamSocket.WouldBlock, server.Receive(buffer));
            client.ShutdownSend();
            await Ready(loop, server.Watch, IoReadiness.Readable);
            Assert.Equal(0, server.Receive(buffer));

            server.Abort();
            await Ready(loop, client.Watch, IoReadiness.Readable);
            var reset = Assert.Throws<SocketException>(() => client.Receive(buffer));
            Assert.Equal(SocketError.ConnectionReset, reset.SocketErrorCode);
            client.Close();
            listener.Close();
            return text;
        }
        try
        {
            Assert.Equal("hello", loop.RunUntilComplete(Main()));
        }
        finally
        {
            loop.Close();
        }
    }

    [Theory]
    [MemberData(nameof(Loopbacks))]
    public void ReceiveIntoTwoBuffers_FillsTheFirstThenTheSecond_ThenEndOfStream(string address)
    {
        if (!Supports(address) || CreateLoop() is not { } loop)
            return;
        var network = (INetworkBackend)loop.Backend;
        var payload = Enumerable.Range(0, 1000).Select(i => (byte)(i * 7 + 3)).ToArray();
        async Coroutine<(byte[] Received, bool BothFilledAtOnce)> Main()
        {
            var (listener, client, server) = await Connected(loop, network, address);
            Assert.Equal(IStreamSocket.WouldBlock, server.Receive(new byte[100], new byte[300]));

            Assert.Equal(payload.Length, client.Send(payload));
            client.ShutdownSend();
            var received = new List<byte>();
            var bothFilledAtOnce = false;
            while (true)
            {
                await Ready(loop, server.Watch, IoReadiness.Readable);
                // Unwritten bytes keep their marker, so a byte put in the wrong place shows.
                var first = Enumerable.Repeat((byte)0xEE, 100).ToArray();
                var second = Enumerable.Repeat((byte)0xEE, 300).ToArray();
                var count = server.Receive(first, second);
                if (count == 0)
                    break;
                if (count == IStreamSocket.WouldBlock)
                    continue;
                Assert.InRange(count, 1, 400);
                if (count <= first.Length)
                {
                    Assert.All(second, b => Assert.Equal(0xEE, b));
                    received.AddRange(first.AsSpan(0, count).ToArray());
                }
                else
                {
                    bothFilledAtOnce = true;
                    received.AddRange(first);
                    received.AddRange(second.AsSpan(0, count - first.Length).ToArray());
                }
            }
            // The end of the stream stays reported.
            Assert.Equal(0, server.Receive(new byte[100], new byte[300]));
            server.Close();
            client.Close();
            listener.Close();
            return (received.ToArray(), bothFilledAtOnce);
        }
        try
        {
            var (received, bothFilledAtOnce) = loop.RunUntilComplete(Main());
            Assert.Equal(payload, received);
            // Every backend receives into both buffers in one call (a backend keeping the
            // interface's default would fill the first only).
            Assert.True(bothFilledAtOnce, "no receive went past the first buffer into the second");
        }
        finally
        {
            loop.Close();
        }
    }

    [Fact]
    public void Connect_NothingListens_FinishConnectRaisesConnectionRefused()
    {
        if (CreateLoop() is not { } loop)
            return;
        var network = (INetworkBackend)loop.Backend;
        async Coroutine<SocketError> Main()
        {
            // A port that was just free: bind, read the port, close, then connect to it.
            var probe = network.Listen(new IPEndPoint(IPAddress.Loopback, 0), backlog: 1);
            var port = ((IPEndPoint)probe.LocalEndPoint).Port;
            probe.Close();
            var client = network.Connect(new IPEndPoint(IPAddress.Loopback, port), local: null);
            await Ready(loop, client.Watch, IoReadiness.Writable);
            var error = Assert.Throws<SocketException>(client.FinishConnect);
            client.Close();
            return error.SocketErrorCode;
        }
        try
        {
            Assert.Equal(SocketError.ConnectionRefused, loop.RunUntilComplete(Main()));
        }
        finally
        {
            loop.Close();
        }
    }

    [Fact]
    public void Listen_AddressInUse_RaisesAddressAlreadyInUse()
    {
        if (CreateLoop() is not { } loop)
            return;
        var network = (INetworkBackend)loop.Backend;
        var first = network.Listen(new IPEndPoint(IPAddress.Loopback, 0), backlog: 1);
        try
        {
            var error = Assert.Throws<SocketException>(() => network.Listen((IPEndPoint)first.LocalEndPoint, backlog: 1));
            Assert.Equal(SocketError.AddressAlreadyInUse, error.SocketErrorCode);
        }
        finally
        {
            first.Close();
            loop.Close();
        }
    }

    // Linux (and so asyncio on it) raises EPIPE for a send after our own shutdown, and after the
    // peer's reset answered a send made once its end of stream had come (CLOSE_WAIT); a reset that
    // came while the connection was open is raised once, as ECONNRESET, by the next receive or
    // send, and then receives see the end of the stream and sends EPIPE.
    [Theory]
    [MemberData(nameof(Loopbacks))]
    public void Send_AfterShutdownSend_RaisesBrokenPipe(string address) => RunPair(address, async (client, server) =>
    {
        client.ShutdownSend();
        var error = Assert.Throws<SocketException>(() => client.Send("late"u8));
        Assert.Equal(SocketError.Shutdown, error.SocketErrorCode);
        await Asyncio.Sleep(0);
    });

    [Theory]
    [MemberData(nameof(Loopbacks))]
    public void Send_AfterThePeerClosedAndItsEndOfStreamCame_GoesOutThenRaisesBrokenPipe(string address) => RunPair(address, async (client, server) =>
    {
        server.Close();
        await Ready(Asyncio.GetRunningLoop(), client.Watch, IoReadiness.Readable);
        Assert.Equal(0, client.Receive(new byte[16]));
        // The closed peer answers the bytes with a reset; until it comes, sends still go out.
        Assert.Equal(1, client.Send("x"u8));
        var error = await SendUntilRefused(client);
        Assert.Equal(SocketError.Shutdown, error.SocketErrorCode);
    });

    [Theory]
    [MemberData(nameof(Loopbacks))]
    public void Send_AfterThePeerReset_RaisesConnectionReset(string address) => RunPair(address, async (client, server) =>
    {
        server.Abort();
        await Ready(Asyncio.GetRunningLoop(), client.Watch, IoReadiness.Readable);
        var error = await SendUntilRefused(client);
        Assert.Equal(SocketError.ConnectionReset, error.SocketErrorCode);
        // The reset is reported once; then the socket is closed both ways.
        Assert.Equal(SocketError.Shutdown, Assert.Throws<SocketException>(() => client.Send("z"u8)).SocketErrorCode);
        Assert.Equal(0, client.Receive(new byte[16]));
    });

    [Theory]
    [MemberData(nameof(Loopbacks))]
    public void Receive_AfterThePeerReset_RaisesConnectionResetOnce_ThenEndOfStream(string address) => RunPair(address, async (client, server) =>
    {
        server.Abort();
        await Ready(Asyncio.GetRunningLoop(), client.Watch, IoReadiness.Readable);
        Assert.Equal(SocketError.ConnectionReset, Assert.Throws<SocketException>(() => client.Receive(new byte[16])).SocketErrorCode);
        Assert.Equal(0, client.Receive(new byte[16]));
        Assert.Equal(SocketError.Shutdown, Assert.Throws<SocketException>(() => client.Send("z"u8)).SocketErrorCode);
    });

    /// <summary>Sends a byte at a time, a little loop time apart (bounded), until a send raises.</summary>
    private static async Coroutine<SocketException> SendUntilRefused(IStreamSocket socket)
    {
        var loop = Asyncio.GetRunningLoop();
        var deadline = loop.Time() + WaitMax;
        while (loop.Time() < deadline)
        {
            try
            {
                socket.Send("y"u8);
            }
            catch (SocketException error)
            {
                return error;
            }
            await Asyncio.Sleep(0.01);
        }
        throw new TimeoutException($"every send went out for {WaitMax} s");
    }

    /// <summary>Runs <paramref name="body"/> on a connected client and accepted server socket over
    /// <paramref name="address"/>; both are closed after it.</summary>
    private void RunPair(string address, Func<IStreamSocket, IStreamSocket, Coroutine> body)
    {
        if (!Supports(address) || CreateLoop() is not { } loop)
            return;
        var network = (INetworkBackend)loop.Backend;
        async Coroutine Main()
        {
            var (listener, client, server) = await Connected(loop, network, address);
            listener.Close();
            try
            {
                await body(client, server);
            }
            finally
            {
                client.Close();
                server.Close();
            }
        }
        try
        {
            loop.RunUntilComplete(Main());
        }
        finally
        {
            loop.Close();
        }
    }

    /// <summary>A client connected over <paramref name="address"/> and the server socket accepted for it.</summary>
    private static async Coroutine<(IStreamListener Listener, IStreamSocket Client, IStreamSocket Server)> Connected(EventLoop loop, INetworkBackend network, string address)
    {
        var listener = network.Listen(new IPEndPoint(IPAddress.Parse(address), 0), backlog: 8);
        var client = network.Connect((IPEndPoint)listener.LocalEndPoint, local: null);
        await Ready(loop, client.Watch, IoReadiness.Writable);
        client.FinishConnect();
        await Ready(loop, listener.Watch, IoReadiness.Readable);
        return (listener, client, listener.TryAccept()!);
    }

    /// <summary>Waits (bounded) until the endpoint reports <paramref name="interest"/>, then stops watching.</summary>
    private static async Coroutine Ready(EventLoop loop, Action<IIoWatcher, IoReadiness> watch, IoReadiness interest)
    {
        var ready = loop.CreateFuture<IoReadiness>();
        var watcher = new OnceWatcher(loop, ready);
        watch(watcher, interest);
        var timeout = loop.CallLater(WaitMax, () => ready.Cancel($"not {interest} within {WaitMax} s"));
        try
        {
            Assert.True((await ready & interest) != 0);
        }
        finally
        {
            timeout.Cancel();
            watch(watcher, IoReadiness.None);
        }
    }

    private sealed class OnceWatcher(EventLoop loop, Future<IoReadiness> ready) : IIoWatcher
    {
        // Called inside Poll: only queue, never run user code here.
        public void OnReady(IoReadiness readiness) => loop.CallSoon(() =>
        {
            if (!ready.Done)
                ready.SetResult(readiness);
        });
    }
}

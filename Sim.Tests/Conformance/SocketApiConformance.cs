using System.Net;
using System.Net.Sockets;
using Sim.Core;

namespace Sim.Tests.Conformance;

/// <summary>
/// The loop's low-level socket API (asyncio's sock_* family, add_reader/add_writer, getnameinfo)
/// over the backend's primitives, written once against the public API; a subclass per backend.
/// </summary>
[Trait("Category", "Conformance")]
public abstract class SocketApiConformance
{
    /// <summary>A fresh loop on the backend under test.</summary>
    protected abstract EventLoop CreateLoop();

    /// <summary>The loopback address used.</summary>
    protected virtual IPAddress Address => IPAddress.Loopback;

    /// <summary>Loop time (seconds) after which a test is stopped as hung.</summary>
    protected virtual double TimeLimit => 30;

    /// <summary>Long enough for bytes sent to reach the peer on this backend.</summary>
    protected virtual double SettleTime => 0.2;

    private void Run(Func<EventLoop, INetworkBackend, Coroutine> body)
    {
        var loop = CreateLoop();
        var errors = new List<string>();
        loop.SetExceptionHandler((_, context) => errors.Add(context.ToString()));
        try
        {
            var guard = loop.CallLater(TimeLimit, loop.Stop);
            loop.RunUntilComplete(body(loop, (INetworkBackend)loop.Backend));
            guard.Cancel();
            Assert.True(errors.Count == 0, "the loop reported: " + string.Join("\n", errors));
        }
        finally
        {
            if (!loop.IsRunning)
                loop.Close();
        }
    }

    private async Coroutine<(IStreamListener Listener, IStreamSocket Client, IStreamSocket Server)> Connected(EventLoop loop, INetworkBackend network)
    {
        var listener = network.Listen(new IPEndPoint(Address, 0), backlog: 8);
        var client = await loop.SockConnect((IPEndPoint)listener.LocalEndPoint);
        var (server, peer) = await loop.SockAccept(listener);
        Assert.Equal(client.LocalEndPoint, peer);
        return (listener, client, server);
    }

    private static async Coroutine<byte[]> ReceiveToEnd(EventLoop loop, IStreamSocket socket)
    {
        var received = new List<byte>();
        while (await loop.SockRecv(socket, 4096) is { Length: > 0 } chunk)
            received.AddRange(chunk);
        return [.. received];
    }

    [Fact]
    public void SockSendallAndSockRecv_EchoThroughAcceptedSocket_ArrivesIntactThenEndOfStream()
    {
        var message = new byte[200_000];
        for (var i = 0; i < message.Length; i++)
            message[i] = (byte)(i * 31 + (i >> 8));
        Run(async (loop, network) =>
        {
            var listener = network.Listen(new IPEndPoint(Address, 0), backlog: 8);
            var echo = loop.CreateTask(Echo(loop, listener));
            var client = await loop.SockConnect((IPEndPoint)listener.LocalEndPoint);
            var reply = loop.CreateTask(ReceiveToEnd(loop, client));
            await loop.SockSendall(client, message);
            client.ShutdownSend();
            Assert.Equal(message, await reply);
            Assert.Equal(message.Length, await echo);
            client.Close();
            listener.Close();
        });
    }

    private static async Coroutine<int> Echo(EventLoop loop, IStreamListener listener)
    {
        var (socket, _) = await loop.SockAccept(listener);
        var buffer = new byte[8192];
        var total = 0;
        int count;
        while ((count = await loop.SockRecvInto(socket, buffer)) > 0)
        {
            await loop.SockSendall(socket, buffer.AsMemory(0, count));
            total += count;
        }
        socket.ShutdownSend();
        socket.Close();
        return total;
    }

    [Fact]
    public void SockRecv_NothingYet_WaitsAndReturnsAtMostCount()
    {
        Run(async (loop, network) =>
        {
            var (listener, client, server) = await Connected(loop, network);
            var receive = loop.CreateTask(loop.SockRecv(server, 3));
            await Asyncio.Sleep(SettleTime);
            Assert.False(receive.Done);
            await loop.SockSendall(client, "hello"u8.ToArray());
            var first = await receive;
            Assert.InRange(first.Length, 1, 3);
            Assert.Equal("hello"u8[..first.Length].ToArray(), first);
            client.Close();
            server.Close();
            listener.Close();
        });
    }

    [Fact]
    public void SockRecv_Cancelled_RemovesItsReader()
    {
        Run(async (loop, network) =>
        {
            var (listener, client, server) = await Connected(loop, network);
            var receive = loop.CreateTask(loop.SockRecv(server, 10));
            await Asyncio.Sleep(SettleTime);
            receive.Cancel();
            await Asyncio.Sleep(0);
            Assert.True(receive.Cancelled);
            Assert.False(loop.RemoveReader(server));
            client.Close();
            server.Close();
            listener.Close();
        });
    }

    [Fact]
    public void AddReader_FiresOnData_AndRemoveReaderStopsIt()
    {
        Run(async (loop, network) =>
        {
            var (listener, client, server) = await Connected(loop, network);
            var calls = 0;
            var received = new List<byte>();
            var buffer = new byte[64];
            loop.AddReader(server, () =>
            {
                calls++;
                var count = server.Receive(buffer);
                if (count > 0)
                    received.AddRange(buffer.AsSpan(0, count).ToArray());
            });
            await Asyncio.Sleep(SettleTime);
            Assert.Equal(0, calls);
            await loop.SockSendall(client, "abc"u8.ToArray());
            while (received.Count < 3)
                await Asyncio.Sleep(0.001);
            Assert.Equal("abc"u8.ToArray(), received);
            Assert.True(loop.RemoveReader(server));
            Assert.False(loop.RemoveReader(server));
            var callsAtRemove = calls;
            await loop.SockSendall(client, "def"u8.ToArray());
            await Asyncio.Sleep(SettleTime);
            Assert.Equal(callsAtRemove, calls);
            // Unread while no reader was registered: still there for the next receive.
            var rest = new List<byte>();
            while (rest.Count < 3)
                rest.AddRange(await loop.SockRecv(server, 3 - rest.Count));
            Assert.Equal("def"u8.ToArray(), rest);
            client.Close();
            server.Close();
            listener.Close();
        });
    }

    // While a registered endpoint stays ready, every poll reports it at once; the simulation then
    // never moves virtual time on, so these tests wait on futures the callbacks complete, not on sleeps.
    [Fact]
    public void AddReader_DataLeftUnread_FiresEveryIteration_AndReaddingReplaces()
    {
        Run(async (loop, network) =>
        {
            var (listener, client, server) = await Connected(loop, network);
            var first = 0;
            var second = 0;
            var firstThrice = loop.CreateFuture<Unit>();
            var secondThrice = loop.CreateFuture<Unit>();
            loop.AddReader(server, () =>
            {
                if (++first == 3)
                    firstThrice.SetResult(Unit.Value);
            });
            await loop.SockSendall(client, "x"u8.ToArray());
            await firstThrice;
            loop.AddReader(server, () =>
            {
                if (++second == 3)
                    secondThrice.SetResult(Unit.Value);
            });
            var firstAtReplace = first;
            await secondThrice;
            Assert.Equal(firstAtReplace, first);
            Assert.True(loop.RemoveReader(server));
            client.Close();
            server.Close();
            listener.Close();
        });
    }

    [Fact]
    public void AddWriter_ConnectedSocket_FiresUntilRemoved()
    {
        Run(async (loop, network) =>
        {
            var (listener, client, server) = await Connected(loop, network);
            var calls = 0;
            var twice = loop.CreateFuture<Unit>();
            loop.AddWriter(client, () =>
            {
                if (++calls == 2)
                    twice.SetResult(Unit.Value);
            });
            await twice;
            Assert.True(loop.RemoveWriter(client));
            Assert.False(loop.RemoveWriter(client));
            var callsAtRemove = calls;
            await Asyncio.Sleep(SettleTime);
            Assert.Equal(callsAtRemove, calls);
            client.Close();
            server.Close();
            listener.Close();
        });
    }

    [Fact]
    public void AddReader_OnListener_FiresWhenAConnectionWaits()
    {
        Run(async (loop, network) =>
        {
            var listener = network.Listen(new IPEndPoint(Address, 0), backlog: 8);
            var accepted = loop.CreateFuture<IStreamSocket>();
            loop.AddReader(listener, () =>
            {
                if (!accepted.Done && listener.TryAccept() is { } socket)
                    accepted.SetResult(socket);
            });
            var client = await loop.SockConnect((IPEndPoint)listener.LocalEndPoint);
            var server = await accepted;
            Assert.True(loop.RemoveReader(listener));
            Assert.Equal(client.LocalEndPoint, server.RemoteEndPoint);
            client.Close();
            server.Close();
            listener.Close();
        });
    }

    [Fact]
    public void SockConnect_NothingListening_RaisesConnectionRefused()
    {
        Run(async (loop, network) =>
        {
            var probe = network.Listen(new IPEndPoint(Address, 0), backlog: 1);
            var remote = (IPEndPoint)probe.LocalEndPoint;
            probe.Close();
            try
            {
                await loop.SockConnect(remote);
                Assert.Fail("connected to a closed port");
            }
            catch (SocketException error)
            {
                Assert.Equal(SocketError.ConnectionRefused, error.SocketErrorCode);
            }
        });
    }

    [Fact]
    public void GetNameInfo_Numeric_FormatsAddressAndPortAsAsyncio()
    {
        Run(async (loop, _) =>
        {
            const NameInfoFlags numeric = NameInfoFlags.NumericHost | NameInfoFlags.NumericService;
            Assert.Equal(("127.0.0.1", "8080"), await loop.GetNameInfo(IPEndPoint.Parse("127.0.0.1:8080"), numeric));
            Assert.Equal(("::1", "80"), await loop.GetNameInfo(IPEndPoint.Parse("[::1]:80"), numeric));
            Assert.Equal(("2001:db8::1", "443"), await loop.GetNameInfo(IPEndPoint.Parse("[2001:db8:0::1]:443"), numeric));
        });
    }
}

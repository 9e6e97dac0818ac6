using System.Net;
using System.Net.Sockets;
using Sim.Core;
using Sim.Real;
using Sim.Real.Portable;

namespace Sim.Tests.Real;

public sealed partial class SocketBackendTests
{
    [Fact]
    public void Close_WithBytesStillInTheSendBuffer_DeliversThemThenTheEndOfStream()
    {
        var loop = RealLoop.Create(RealBackendKind.Portable);
        var network = (INetworkBackend)loop.Backend;
        async Coroutine<(long Accepted, long Received, int AfterLast)> Main()
        {
            var (listener, client, server) = await ConnectedPair(loop, network, IPAddress.Loopback);
            // The peer is not reading: the last bytes taken wait in the backend's own send buffer.
            var accepted = await SendUntilBlocked(loop, client);
            client.Close();
            var received = await ReceivePattern(loop, server, accepted);
            await Ready(loop, server.Watch, IoReadiness.Readable);
            var afterLast = server.Receive(new byte[16]);
            server.Close();
            listener.Close();
            return (accepted, received, afterLast);
        }
        try
        {
            var (accepted, received, afterLast) = loop.RunUntilComplete(Main());
            Assert.Equal(accepted, received);
            Assert.Equal(0, afterLast);
        }
        finally
        {
            loop.Close();
        }
    }

    [Fact]
    public void Close_PeerNeverTakesTheBytes_ResetsOnceTheLingerBoundPasses()
    {
        var loop = new EventLoop(new MonotonicClock(), new SocketBackend(lingerTimeMaxMs: 200));
        var network = (INetworkBackend)loop.Backend;
        async Coroutine<(long Accepted, long Received, SocketError Error)> Main()
        {
            var (listener, client, server) = await ConnectedPair(loop, network, IPAddress.Loopback);
            var accepted = await SendUntilBlocked(loop, client);
            client.Close();
            await Asyncio.Sleep(0.5);
            // What the kernel had taken is still delivered; the backend's own bytes never come.
            var buffer = new byte[64 * 1024];
            long received = 0;
            while (true)
            {
                await Ready(loop, server.Watch, IoReadiness.Readable);
                try
                {
                    var count = server.Receive(buffer);
                    Assert.True(count > 0, "a clean end of stream, though bytes were lost");
                    received += count;
                }
                catch (SocketException error)
                {
                    server.Close();
                    listener.Close();
                    return (accepted, received, error.SocketErrorCode);
                }
            }
        }
        try
        {
            var (accepted, received, error) = loop.RunUntilComplete(Main());
            Assert.Equal(SocketError.ConnectionReset, error);
            Assert.True(received < accepted, $"all {accepted} bytes arrived before the reset");
        }
        finally
        {
            loop.Close();
        }
    }

    [Fact]
    public void Close_WithReceivedBytesNeverRead_ResetsThePeer()
    {
        var loop = RealLoop.Create(RealBackendKind.Portable);
        var network = (INetworkBackend)loop.Backend;
        async Coroutine<SocketError> Main()
        {
            var (listener, client, server) = await ConnectedPair(loop, network, IPAddress.Loopback);
            Assert.Equal(6, client.Send("unread"u8));
            await Ready(loop, server.Watch, IoReadiness.Readable);
            server.Close();
            await Ready(loop, client.Watch, IoReadiness.Readable);
            var error = Assert.Throws<SocketException>(() => client.Receive(new byte[16]));
            client.Close();
            listener.Close();
            return error.SocketErrorCode;
        }
        try
        {
            Assert.Equal(SocketError.ConnectionReset, loop.RunUntilComplete(Main()));
        }
        finally
        {
            loop.Close();
        }
    }

    [Fact]
    public void ListenerClose_ConnectionsAcceptedButNotTaken_AreReset()
    {
        var loop = RealLoop.Create(RealBackendKind.Portable);
        var network = (INetworkBackend)loop.Backend;
        async Coroutine<SocketError[]> Main()
        {
            var listener = network.Listen(new IPEndPoint(IPAddress.Loopback, 0), backlog: 8);
            var clients = new List<IStreamSocket>();
            for (var i = 0; i < 3; i++)
            {
                var client = network.Connect((IPEndPoint)listener.LocalEndPoint, local: null);
                await Ready(loop, client.Watch, IoReadiness.Writable);
                client.FinishConnect();
                clients.Add(client);
            }
            // Watching makes the listener accept ahead; closing it must not leave those hanging.
            await Ready(loop, listener.Watch, IoReadiness.Readable);
            await Asyncio.Sleep(0.1);
            listener.Close();
            var errors = new List<SocketError>();
            foreach (var client in clients)
            {
                await Ready(loop, client.Watch, IoReadiness.Readable);
                var error = Assert.Throws<SocketException>(() => client.Receive(new byte[16]));
                errors.Add(error.SocketErrorCode);
                client.Close();
            }
            return [.. errors];
        }
        try
        {
            Assert.All(loop.RunUntilComplete(Main()), error => Assert.Equal(SocketError.ConnectionReset, error));
        }
        finally
        {
            loop.Close();
        }
    }

    [Fact]
    public void ListenerClose_AcceptCompletedButNotYetDrained_ResetsThatConnection()
    {
        // The kernel's accept finished on the thread pool and its completion waits for Poll when
        // the loop closes the listener: that connection was in the backlog at the close, so it
        // is reset, not closed as if served (a clean end of stream to a client that sent nothing).
        var backend = new SocketBackend();
        try
        {
            using var client = ConnectUntilAcceptQueued(backend, out var listener);
            listener.Close();
            backend.Poll(0, outsideWorkInFlight: false);
            var error = Assert.Throws<SocketException>(() => client.Receive(new byte[16]));
            Assert.Equal(SocketError.ConnectionReset, error.SocketErrorCode);
        }
        finally
        {
            backend.Dispose();
        }
    }

    [Fact]
    public void Dispose_AcceptCompletedButNotYetDrained_ResetsThatConnection()
    {
        // As above, but the loop closes: Dispose drains the completions no Poll will, and the
        // accepted connection is reset instead of left open with no one to close it.
        var backend = new SocketBackend();
        try
        {
            using var client = ConnectUntilAcceptQueued(backend, out _);
            backend.Dispose();
            Assert.Equal(0, backend.CompletionsQueued);
            var error = Assert.Throws<SocketException>(() => client.Receive(new byte[16]));
            Assert.Equal(SocketError.ConnectionReset, error.SocketErrorCode);
        }
        finally
        {
            backend.Dispose();
        }
    }

    [Fact]
    public void CompletionPostedAfterDispose_WithAnAcceptedConnection_ResetsIt()
    {
        // An accept that finishes on the thread pool after the loop closed, simulated: the test
        // posts the completion itself, holding a connection accepted by a plain socket. The
        // completion is dropped at once (nothing will drain it) and the connection is reset.
        var backend = new SocketBackend();
        var listener = (SocketStreamListener)backend.Listen(new IPEndPoint(IPAddress.Loopback, 0), backlog: 8);
        using var other = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        other.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        other.Listen(1);
        using var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { ReceiveTimeout = 10_000 };
        client.Connect((IPEndPoint)other.LocalEndPoint!);
        using var accepted = other.Accept();
        backend.Dispose();
        using var operation = new SocketOperation(backend, listener) { AcceptSocket = accepted };
        backend.Post(operation);
        Assert.Equal(0, backend.CompletionsQueued);
        Assert.Null(operation.AcceptSocket);
        var error = Assert.Throws<SocketException>(() => client.Receive(new byte[16]));
        Assert.Equal(SocketError.ConnectionReset, error.SocketErrorCode);
    }

    /// <summary>A watched listener and a client connected to it, once the kernel's accept has
    /// completed and its completion waits in the backend's queue for a Poll.</summary>
    private static Socket ConnectUntilAcceptQueued(SocketBackend backend, out IStreamListener listener)
    {
        listener = backend.Listen(new IPEndPoint(IPAddress.Loopback, 0), backlog: 8);
        listener.Watch(new IgnoringWatcher(), IoReadiness.Readable);
        var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { ReceiveTimeout = 10_000 };
        client.Connect((IPEndPoint)listener.LocalEndPoint);
        var deadline = Environment.TickCount64 + (long)(WaitMax * 1000);
        while (backend.CompletionsQueued == 0 && Environment.TickCount64 < deadline)
            Thread.Sleep(1);
        Assert.True(backend.CompletionsQueued > 0, $"the accept did not complete within {WaitMax} s");
        return client;
    }

    private sealed class IgnoringWatcher : IIoWatcher
    {
        public void OnReady(IoReadiness readiness)
        {
        }
    }
}

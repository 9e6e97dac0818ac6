using System.Net;
using System.Net.Sockets;
using Sim.Core;
using Sim.Tests.Conformance;
using Sim.Tests.Infrastructure;

namespace Sim.Tests.Transports;

/// <summary>A server's accept failing, with a listener of the test's own (no backend makes
/// accept fail on demand): out of descriptors, the client gone, anything else.</summary>
public sealed class ServerAcceptErrorTests
{
    [Fact]
    public void OutOfDescriptors_StopsWatchingTheListener_AndWatchesItAgainASecondLater()
    {
        var (loop, listener, server, errors) = AcceptOnceFailing(SocketError.TooManyOpenSockets);
        try
        {
            // Stopped, not spinning on a listener that stays readable.
            Assert.Equal([IoReadiness.Readable, IoReadiness.None], listener.Interests);
            Assert.Equal(1, listener.Accepts);
            Assert.StartsWith("socket.accept() out of system resource", Assert.Single(errors), StringComparison.Ordinal);
            loop.RunUntilComplete(Asyncio.Sleep(1));
            Assert.Equal([IoReadiness.Readable, IoReadiness.None, IoReadiness.Readable], listener.Interests);
            listener.Ready();
            loop.RunUntilComplete(Asyncio.Sleep(0));
            Assert.Equal(2, listener.Accepts);
            Assert.Single(errors);
        }
        finally
        {
            server.Close();
            loop.Close();
        }
    }

    [Fact]
    public void ClosedWhileAcceptingPauses_IsNotWatchedAgain()
    {
        var (loop, listener, server, _) = AcceptOnceFailing(SocketError.TooManyOpenSockets);
        try
        {
            server.Close();
            loop.RunUntilComplete(Asyncio.Sleep(1));
            Assert.Equal([IoReadiness.Readable, IoReadiness.None, IoReadiness.None], listener.Interests);
        }
        finally
        {
            loop.Close();
        }
    }

    [Fact]
    public void ClientAbortedBeforeTheAccept_IsIgnored()
    {
        var (loop, listener, server, errors) = AcceptOnceFailing(SocketError.ConnectionAborted);
        try
        {
            Assert.Empty(errors);
            Assert.Equal([IoReadiness.Readable], listener.Interests);
        }
        finally
        {
            server.Close();
            loop.Close();
        }
    }

    /// <summary>A server on a listener whose first accept fails with <paramref name="error"/>,
    /// half a second after that accept: what the exception handler was told, in order.</summary>
    private static (EventLoop Loop, FailingListener Listener, Server Server, List<string> Errors) AcceptOnceFailing(SocketError error)
    {
        var loop = TestLoops.NewLoop();
        var errors = new List<string>();
        loop.SetExceptionHandler((_, context) => errors.Add(context.Message));
        var listener = new FailingListener(error);
        var server = new Server(loop, [listener], () => new RecordingProtocol(loop), backlog: 8);
        server.Start();
        listener.Ready();
        loop.RunUntilComplete(Asyncio.Sleep(0.5));
        return (loop, listener, server, errors);
    }

    /// <summary>Fails its first accept with <paramref name="error"/>; has nothing to accept after.</summary>
    private sealed class FailingListener(SocketError error) : IStreamListener
    {
        private IIoWatcher? _watcher;

        public List<IoReadiness> Interests { get; } = [];

        public int Accepts { get; private set; }

        public EndPoint LocalEndPoint { get; } = new IPEndPoint(IPAddress.Loopback, 8080);

        public void Ready() => _watcher!.OnReady(IoReadiness.Readable);

        public void Watch(IIoWatcher watcher, IoReadiness interest)
        {
            _watcher = watcher;
            Interests.Add(interest);
        }

        public IStreamSocket? TryAccept() => ++Accepts == 1 ? throw new SocketException((int)error) : null;

        public void Close() { }
    }
}

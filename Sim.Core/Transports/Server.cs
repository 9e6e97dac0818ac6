using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Sim.Core;

/// <summary>
/// A listening server (asyncio's <c>Server</c>), made by <see cref="EventLoop.CreateServer{TProtocol}"/>
/// or <see cref="Asyncio.StartServer(Func{StreamReader, StreamWriter, Coroutine}, string?, int, int, int, bool, bool?, bool)"/>.
/// Each accepted connection gets a protocol from the factory and a transport. <see cref="Close"/>
/// stops listening; <see cref="WaitClosed"/> returns once the server is closed and every
/// connection it accepted is gone (CPython 3.12.1+ semantics).
/// </summary>
[DebuggerDisplay("{ToString(),nq}")]
public sealed class Server : IAsyncDisposable
{
    private readonly EventLoop _loop;
    private readonly Func<IBaseProtocol> _protocolFactory;
    private readonly int _backlog;
    private readonly List<Acceptor> _acceptors;
    private readonly List<SocketTransport> _clients = [];
    private Action? _listenersClosed;
    private List<Future<Unit>>? _waiters = [];
    private Future<Unit>? _servingForever;
    private bool _closed;
    private bool _serving;

    // listenersClosed runs once Close has closed the listeners (a Unix server removes its socket
    // file there).
    internal Server(EventLoop loop, IEnumerable<IStreamListener> listeners, Func<IBaseProtocol> protocolFactory, int backlog, Action? listenersClosed = null)
    {
        _loop = loop;
        _listenersClosed = listenersClosed;
        _protocolFactory = protocolFactory;
        _backlog = backlog;
        _acceptors = listeners.Select(listener => new Acceptor(this, listener)).ToList();
    }

    /// <summary>The loop the server runs on.</summary>
    public EventLoop GetLoop() => _loop;

    /// <summary>True while the server accepts connections.</summary>
    public bool IsServing => _serving;

    /// <summary>The addresses listened on (empty once closed).</summary>
    public IReadOnlyList<EndPoint> Sockets => _closed ? [] : _acceptors.Select(a => a.Listener.LocalEndPoint).ToList();

    /// <summary>The connections accepted and not yet lost.</summary>
    public int ActiveConnections => _clients.Count;

    /// <summary>
    /// Stops listening (connections not yet accepted are reset) and cancels
    /// <see cref="ServeForever"/>. Connections already accepted stay open. Idempotent.
    /// </summary>
    public void Close()
    {
        if (_closed)
            return;
        _closed = true;
        foreach (var acceptor in _acceptors)
            acceptor.Stop();
        var listenersClosed = _listenersClosed;
        _listenersClosed = null;
        listenersClosed?.Invoke();
        _serving = false;
        if (_servingForever is { Done: false } forever)
            forever.Cancel();
        _servingForever = null;
        if (_clients.Count == 0)
            Wakeup();
    }

    /// <summary>Closes every accepted connection (buffered data is still sent; CPython 3.13).</summary>
    public void CloseClients()
    {
        foreach (var client in _clients.ToList())
            client.Close();
    }

    /// <summary>Aborts every accepted connection (CPython 3.13).</summary>
    public void AbortClients()
    {
        foreach (var client in _clients.ToList())
            client.Abort();
    }

    /// <summary>Starts accepting, if not yet, and yields one iteration so it takes effect.</summary>
    public async Coroutine StartServing()
    {
        Start();
        await Asyncio.Sleep(0);
    }

    /// <summary>Accepts connections until cancelled; the cancellation closes the server and waits
    /// for it to be closed.</summary>
    /// <exception cref="InvalidOperationException">Already being served forever, or closed.</exception>
    public async Coroutine ServeForever()
    {
        if (_servingForever is not null)
            throw new InvalidOperationException($"server {this} is already being awaited on serve_forever()");
        if (_closed)
            throw new InvalidOperationException($"server {this} is closed");
        Start();
        var forever = _loop.CreateFuture<Unit>();
        _servingForever = forever;
        try
        {
            await forever;
        }
        catch (CancelledError)
        {
            try
            {
                Close();
                await WaitClosed();
            }
            finally
            {
                _servingForever = null;
            }
            throw;
        }
        _servingForever = null;
    }

    /// <summary>Returns once the server is closed and all its connections are gone, in either order.</summary>
    public async Coroutine WaitClosed()
    {
        if (_waiters is null)
            return;
        var waiter = _loop.CreateFuture<Unit>();
        _waiters.Add(waiter);
        await waiter;
    }

    /// <summary>Closes the server and waits for it (<c>async with server:</c>).</summary>
    public ValueTask DisposeAsync()
    {
        Close();
        return _waiters is null ? default : new ValueTask(_loop.CreateTask(WaitClosed()).AsTask());
    }

    /// <summary>asyncio's repr: the addresses listened on.</summary>
    public override string ToString() => $"<Server sockets=[{string.Join(", ", Sockets)}]>";

    internal void Start()
    {
        if (_serving || _closed)
            return;
        _serving = true;
        foreach (var acceptor in _acceptors)
            acceptor.Start();
    }

    internal void Attach(SocketTransport transport)
    {
        Debug.Assert(!_closed, "Accepted resets the connections of a closed server");
        _clients.Add(transport);
    }

    internal void Detach(SocketTransport transport)
    {
        _clients.Remove(transport);
        if (_clients.Count == 0 && _closed)
            Wakeup();
    }

    private void Wakeup()
    {
        var waiters = _waiters;
        _waiters = null;
        if (waiters is null)
            return;
        foreach (var waiter in waiters)
        {
            if (!waiter.Done)
                waiter.SetResult(Unit.Value);
        }
    }

    /// <summary>A new connection from <paramref name="socket"/>: a protocol and a transport for it.</summary>
    /// <remarks>A server closed since the connection was accepted (by a callback in between, or
    /// by the factory itself) resets it unserved, as the kernel resets the connections still in a
    /// closed listener's queue: whether a connection is served does not depend on where in the
    /// accept path the close fell, nor on whether other connections keep the server's
    /// <see cref="WaitClosed"/> waiting. (asyncio fails an assertion in <c>_attach</c> there and
    /// leaves the socket to the garbage collector; uvloop raises.)</remarks>
    private void Accepted(IStreamSocket socket)
    {
        if (_closed)
        {
            socket.Abort();
            return;
        }
        IBaseProtocol protocol;
        try
        {
            protocol = _protocolFactory();
            if (_closed)
            {
                socket.Abort();
                return;
            }
            _ = new SocketTransport(_loop, socket, protocol, null, this);
        }
        catch (Exception error)
        {
            // A factory that closed the server before it threw: reset, as a closed server does.
            if (_closed)
                socket.Abort();
            else
                socket.Close();
            _loop.CallExceptionHandler(new ExceptionContext("Error on transport creation for incoming connection", error));
        }
    }

    /// <summary>Watches one listener and accepts from it in batches of at most the backlog.</summary>
    private sealed class Acceptor(Server server, IStreamListener listener) : IIoWatcher
    {
        public IStreamListener Listener { get; } = listener;

        // asyncio's ACCEPT_RETRY_DELAY: how long accepting pauses when the process is out of
        // descriptors or memory.
        private const double AcceptRetryDelay = 1;

        private bool _watching;
        private bool _stopped;

        public void Start()
        {
            _watching = true;
            Listener.Watch(this, IoReadiness.Readable);
        }

        public void Stop()
        {
            _stopped = true;
            _watching = false;
            Listener.Watch(this, IoReadiness.None);
            Listener.Close();
        }

        private void Retry()
        {
            if (!_stopped && server._serving)
                Start();
        }

        void IIoWatcher.OnReady(IoReadiness readiness) =>
            server._loop.CallSoon(static acceptor => acceptor.AcceptReady(), this);

        private void AcceptReady()
        {
            if (!_watching || _stopped)
                return;
            for (var i = 0; i < server._backlog; i++)
            {
                IStreamSocket? socket;
                try
                {
                    socket = Listener.TryAccept();
                }
                catch (SocketException error) when (error.SocketErrorCode is SocketError.TooManyOpenSockets or SocketError.NoBufferSpaceAvailable)
                {
                    // Out of descriptors or memory: the listener stays readable, so watching it
                    // would spin the loop; asyncio stops and starts again a second later.
                    server._loop.CallExceptionHandler(new ExceptionContext($"socket.accept() out of system resource on {Listener.LocalEndPoint}", error));
                    _watching = false;
                    Listener.Watch(this, IoReadiness.None);
                    server._loop.CallLater(AcceptRetryDelay, static acceptor => acceptor.Retry(), this);
                    return;
                }
                catch (SocketException error) when (error.SocketErrorCode is SocketError.ConnectionAborted)
                {
                    // The client gave up before the accept (asyncio ignores ConnectionAbortedError).
                    return;
                }
                catch (SocketException error)
                {
                    server._loop.CallExceptionHandler(new ExceptionContext($"socket.accept() failed on {Listener.LocalEndPoint}", error));
                    return;
                }
                if (socket is null)
                    return;
                // The protocol factory runs in the next iteration (asyncio creates a task per
                // accepted connection whose first step calls it).
                server._loop.CallSoon(static state => state.Server.Accepted(state.Socket), (Server: server, Socket: socket));
            }
        }
    }
}

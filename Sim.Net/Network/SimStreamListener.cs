using System.Net;
using Sim.Core;

namespace Sim.Net;

/// <summary>A simulated listening socket, TCP or Unix-domain: connections the network established
/// wait here, at most the backlog of them, until accepted.</summary>
internal sealed class SimStreamListener : IStreamListener, IReadinessSource
{
    private readonly Queue<SimStreamSocket> _pending = new();
    private readonly SimNetwork _network;
    private readonly Host _host;
    private readonly int _backlog;
    private readonly UnixPathEntry? _socketFile;
    private bool _closed;

    /// <summary>A TCP listener bound to <paramref name="local"/>.</summary>
    public SimStreamListener(SimNetwork network, Host host, IPEndPoint local, int backlog)
        : this(network, host, local, backlog, socketFile: null)
    {
    }

    /// <summary>A Unix-domain listener bound to the socket file <paramref name="socketFile"/> at <paramref name="local"/>.</summary>
    public SimStreamListener(SimNetwork network, Host host, UnixEndPoint local, int backlog, UnixPathEntry socketFile)
        : this(network, host, (EndPoint)local, backlog, socketFile)
    {
    }

    private SimStreamListener(SimNetwork network, Host host, EndPoint local, int backlog, UnixPathEntry? socketFile)
    {
        _network = network;
        _host = host;
        _backlog = backlog;
        _socketFile = socketFile;
        LocalEndPoint = local;
        network.Register(this);
    }

    public EndPoint LocalEndPoint { get; }

    public IoReadiness Interest { get; private set; }

    public IIoWatcher? Watcher { get; private set; }

    public bool Armed { get; set; }

    public LinkedListNode<IReadinessSource>? Registration { get; set; }

    public IoReadiness Readiness => !_closed && _pending.Count > 0 ? IoReadiness.Readable : IoReadiness.None;

    /// <summary>True when a new connection would exceed the backlog. Linux queues one more than
    /// the backlog (its accept queue is full only above it, <c>sk_acceptq_is_full</c>): a TCP
    /// listener then drops the SYN, a Unix-domain one fails a non-blocking connect with EAGAIN.</summary>
    public bool IsQueueFull => _pending.Count > _backlog;

    private bool IsUnix => _socketFile is not null;

    public void Watch(IIoWatcher watcher, IoReadiness interest)
    {
        ArgumentNullException.ThrowIfNull(watcher);
        if (_closed)
            return;
        Watcher = interest == IoReadiness.None ? null : watcher;
        Interest = interest & IoReadiness.Readable;
        _network.Rearm(this);
    }

    public IStreamSocket? TryAccept()
    {
        ObjectDisposedException.ThrowIf(_closed, this);
        if (!_pending.TryDequeue(out var socket))
            return null;
        _network.NoteProgress();
        _network.Record(_host, IsUnix ? "unix.accept" : "tcp.accept", $"{SimNetwork.Format(socket.LocalEndPoint)} <- {SimNetwork.Format(socket.RemoteEndPoint)}");
        return socket;
    }

    public void Close()
    {
        if (_closed)
            return;
        _closed = true;
        _network.NoteProgress();
        _network.Unregister(this);
        Watcher = null;
        Interest = IoReadiness.None;
        if (_socketFile is { } file)
        {
            // The socket file stays behind, stale, as on Linux: removing it is the owner's business.
            if (file.Listener == this)
                file.Listener = null;
        }
        else
        {
            var local = (IPEndPoint)LocalEndPoint;
            _host.Listeners.Remove(local);
            _host.ReleasePort(local.Port);
        }
        _network.Record(_host, IsUnix ? "unix.unlisten" : "tcp.unlisten", SimNetwork.Format(LocalEndPoint));
        // Connections never accepted are reset, as a real listener's close does.
        while (_pending.TryDequeue(out var socket))
            socket.ResetUnaccepted();
    }

    internal void Enqueue(SimStreamSocket socket)
    {
        _pending.Enqueue(socket);
        _network.Rearm(this);
    }

    public string Describe() =>
        $"{_host.Name} {(IsUnix ? "unix" : "tcp")} listener {SimNetwork.Format(LocalEndPoint)} ({_pending.Count} of {_backlog} connections waiting to be accepted, {SimNetwork.DescribeInterest(Interest)})";

    public override string ToString() => $"<SimStreamListener {LocalEndPoint} pending={_pending.Count}{(_closed ? " closed" : "")}>";
}

using System.Net;
using Sim.Core;

namespace Sim.Net;

/// <summary>A simulated listening socket: connections the network established wait here, at most
/// the backlog of them, until accepted.</summary>
internal sealed class SimStreamListener(SimNetwork network, Host host, IPEndPoint local, int backlog) : IStreamListener, IReadinessSource
{
    private readonly Queue<SimStreamSocket> _pending = new();
    private bool _closed;

    public EndPoint LocalEndPoint { get; } = local;

    public IoReadiness Interest { get; private set; }

    public IIoWatcher? Watcher { get; private set; }

    public bool Armed { get; set; }

    public IoReadiness Readiness => !_closed && _pending.Count > 0 ? IoReadiness.Readable : IoReadiness.None;

    /// <summary>True when a new connection would exceed the backlog.</summary>
    public bool IsQueueFull => _pending.Count >= backlog;

    public void Watch(IIoWatcher watcher, IoReadiness interest)
    {
        ArgumentNullException.ThrowIfNull(watcher);
        if (_closed)
            return;
        Watcher = interest == IoReadiness.None ? null : watcher;
        Interest = interest & IoReadiness.Readable;
        network.Rearm(this);
    }

    public IStreamSocket? TryAccept()
    {
        ObjectDisposedException.ThrowIf(_closed, this);
        if (!_pending.TryDequeue(out var socket))
            return null;
        network.Record(host, "tcp.accept", $"{SimNetwork.Format(socket.LocalEndPoint)} <- {SimNetwork.Format(socket.RemoteEndPoint)}");
        return socket;
    }

    public void Close()
    {
        if (_closed)
            return;
        _closed = true;
        Watcher = null;
        Interest = IoReadiness.None;
        host.Listeners.Remove(local);
        host.ReleasePort(local.Port);
        network.Record(host, "tcp.unlisten", SimNetwork.Format(local));
        // Connections never accepted are reset, as a real listener's close does.
        while (_pending.TryDequeue(out var socket))
            socket.Abort();
    }

    internal void Enqueue(SimStreamSocket socket)
    {
        _pending.Enqueue(socket);
        network.Rearm(this);
    }

    public override string ToString() => $"<SimStreamListener {local} pending={_pending.Count}{(_closed ? " closed" : "")}>";
}

using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Sim.Core;

namespace Sim.Real.Portable;

/// <summary>
/// A listening socket of <see cref="SocketBackend"/>: one accept outstanding while the loop
/// watches it (or after a <see cref="TryAccept"/> found nothing), its connections queued here
/// until taken. Readable = a connection (or an accept error) waits.
/// </summary>
[DebuggerDisplay("{ToString(),nq}")]
internal sealed class SocketStreamListener : SocketEndpoint, IStreamListener
{
    // Connections accepted ahead of TryAccept. A burst of connects is taken from the kernel's
    // queue without a round trip through the loop for each, while a loop that stopped accepting
    // has only this many taken on its behalf (the rest wait in the kernel's backlog).
    private const int AcceptedQueueMax = 16;

    private readonly Socket _socket;
    private readonly SocketOperation _accept;
    private readonly Queue<Socket> _accepted = new();
    private SocketError? _pendingError;
    private bool _acceptPending;
    private bool _closed;

    public SocketStreamListener(SocketBackend backend, Socket socket)
        : base(backend)
    {
        _socket = socket;
        _accept = new SocketOperation(backend, this);
        LocalEndPoint = socket.LocalEndPoint!;
        backend.Adopt(this);
    }

    public EndPoint LocalEndPoint { get; }

    public override IoReadiness Readiness =>
        !_closed && (_accepted.Count > 0 || _pendingError is not null) ? IoReadiness.Readable : IoReadiness.None;

    public void Watch(IIoWatcher watcher, IoReadiness interest)
    {
        ObjectDisposedException.ThrowIf(_closed, this);
        SetWatch(watcher, interest & IoReadiness.Readable);
        PumpAccept();
    }

    public IStreamSocket? TryAccept()
    {
        ObjectDisposedException.ThrowIf(_closed, this);
        if (_accepted.Count == 0 && _pendingError is null && !_acceptPending)
            StartAccept();
        if (_accepted.TryDequeue(out var socket))
        {
            PumpAccept();
            return new SocketStreamSocket(Backend, socket, socket.RemoteEndPoint!, connected: true);
        }
        if (_pendingError is { } error)
        {
            _pendingError = null;
            PumpAccept();
            throw new SocketException((int)error);
        }
        return null;
    }

    public void Close()
    {
        if (_closed)
            return;
        _closed = true;
        StopWatching();
        // Connections accepted but never taken are reset, as the kernel resets its backlog.
        while (_accepted.TryDequeue(out var socket))
            Reset(socket);
        _socket.Dispose();
        Backend.Forget(this);
        ReleaseWhenIdle();
    }

    public override void Complete(SocketOperation operation)
    {
        AcceptDone();
        PumpAccept();
    }

    public override void CloseWithBackend() => Close();

    public override string ToString() =>
        $"<SocketStreamListener {(_closed ? "closed" : "listening")} on={LocalEndPoint} queued={_accepted.Count}>";

    /// <summary>Keeps one accept outstanding while the loop watches and the queue has room.</summary>
    private void PumpAccept()
    {
        while (!_closed && (Interest & IoReadiness.Readable) != 0 && !_acceptPending && _pendingError is null
            && _accepted.Count < AcceptedQueueMax)
        {
            if (!StartAccept())
                return;
        }
    }

    /// <summary>Starts an accept; true when it finished at once (and was handled).</summary>
    private bool StartAccept()
    {
        _accept.AcceptSocket = null;
        _acceptPending = true;
        if (_socket.AcceptAsync(_accept))
            return false;
        AcceptDone();
        return true;
    }

    private void AcceptDone()
    {
        _acceptPending = false;
        var socket = _accept.AcceptSocket;
        _accept.AcceptSocket = null;
        if (_closed)
        {
            // Accepted by the kernel before the close, heard of only after it: reset like those
            // queued here (a plain close would end the client's stream as if served).
            if (socket is not null)
                Reset(socket);
            ReleaseWhenIdle();
            return;
        }
        if (_accept.SocketError != SocketError.Success || socket is null)
        {
            socket?.Dispose();
            _pendingError = _accept.SocketError == SocketError.Success ? SocketError.SocketError : _accept.SocketError;
        }
        else
        {
            try
            {
                // TCP_NODELAY on accepted sockets too, as asyncio sets it.
                socket.NoDelay = true;
            }
            catch (SocketException)
            {
                // Reset before it was taken (Windows refuses options then): its first receive says so.
            }
            _accepted.Enqueue(socket);
        }
        Changed();
    }

    /// <summary>Closes an accepted socket that the loop never took with a reset (SO_LINGER 0),
    /// as the kernel resets the connections in a closed listener's backlog.</summary>
    internal static void Reset(Socket socket)
    {
        try
        {
            socket.LingerState = new LingerOption(enable: true, seconds: 0);
        }
        catch (SocketException)
        {
            // Already reset by the client: closing is all that is left.
        }
        socket.Dispose();
    }

    private void ReleaseWhenIdle()
    {
        if (_closed && !_acceptPending)
            _accept.Dispose();
    }
}

using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Sim.Core;

namespace Sim.Real.Portable;

/// <summary>
/// A TCP socket of <see cref="SocketBackend"/>: readiness emulated over .NET's completions, with
/// a receive buffer and a bounded send buffer standing in for the kernel's. Split by concern:
/// this file (life cycle: connect, readiness, errors, close), <c>.Receive.cs</c>, <c>.Send.cs</c>.
/// </summary>
/// <remarks>
/// States: connecting → connected → (closed by the loop [→ lingering while the send buffer
/// drains]) → released. Errors follow SO_ERROR: the first one is kept, reported once by whichever
/// of <see cref="Receive(Span{byte})"/>, <see cref="Send(ReadOnlySpan{byte})"/> or <see cref="FinishConnect"/> comes first; after
/// it the connection is dead (receives see the end of the stream, sends fail with Shutdown,
/// Linux's EPIPE), as on the epoll backend.
/// </remarks>
[DebuggerDisplay("{ToString(),nq}")]
internal sealed partial class SocketStreamSocket : SocketEndpoint, IStreamSocket
{
    private readonly Socket _socket;
    private readonly SocketOperation _receive;
    // Connects first, then sends: the two never overlap.
    private readonly SocketOperation _send;
    private EndPoint? _local;
    private SocketError? _pendingError;
    private bool _connecting;
    private bool _connected;
    private bool _dead;         // reset, failed to connect, or failed a send: nothing more will move
    private bool _closed;       // closed by the loop (Close or Abort)
    private bool _socketClosed; // the .NET socket is disposed of

    public SocketStreamSocket(SocketBackend backend, Socket socket, EndPoint remote, bool connected)
        : base(backend)
    {
        _socket = socket;
        _receive = new SocketOperation(backend, this);
        _send = new SocketOperation(backend, this);
        RemoteEndPoint = remote;
        _connected = connected;
        backend.Adopt(this);
        if (connected)
            PumpReceive();
    }

    public EndPoint LocalEndPoint => _local ??= _socketClosed
        ? throw new ObjectDisposedException(nameof(SocketStreamSocket))
        : _socket.LocalEndPoint ?? UnboundEndPoint();

    public EndPoint RemoteEndPoint { get; }

    /// <summary>Whether TCP_NODELAY is on (tests read the default with it).</summary>
    internal bool NoDelay => _socket.NoDelay;

    /// <summary>When a lingering close gives up (<see cref="Environment.TickCount64"/> milliseconds).</summary>
    public long LingerDeadlineMs { get; private set; }

    public override IoReadiness Readiness
    {
        get
        {
            if (_closed || !(_connected || _dead))
                return IoReadiness.None;
            var ready = IoReadiness.None;
            if (UnreadCount > 0 || _endOfStream || _dead)
                ready |= IoReadiness.Readable;
            // Also once the sending side is shut: a send then fails at once, as epoll reports it.
            if (_dead || _sendCount < SendBufferSize)
                ready |= IoReadiness.Writable;
            return ready;
        }
    }

    public void Watch(IIoWatcher watcher, IoReadiness interest)
    {
        ObjectDisposedException.ThrowIf(_closed, this);
        SetWatch(watcher, interest);
    }

    public void FinishConnect()
    {
        ObjectDisposedException.ThrowIf(_closed, this);
        ThrowPendingError();
    }

    public void Close()
    {
        if (_closed)
            return;
        BeginClose();
        _sendShutdown = true;
        // Unread bytes reset the connection at once; otherwise the accepted bytes go first.
        if (_sendCount > 0 && !HasUnreadBytes())
        {
            LingerDeadlineMs = Backend.StartLingering(this);
            return;
        }
        FinishClose(reset: false);
    }

    public void Abort()
    {
        if (_closed)
            return;
        BeginClose();
        FinishClose(reset: true);
    }

    public override void Complete(SocketOperation operation)
    {
        if (operation == _receive)
        {
            ReceiveDone();
            PumpReceive();
        }
        else if (_connecting)
        {
            ConnectDone();
        }
        else
        {
            SendDone();
            PumpSend();
        }
        // A lingering close whose connection died meanwhile has nothing left to deliver.
        if (_closed && _dead && !_socketClosed && !_sendPending)
            FinishClose(reset: false);
        AssertInvariants();
    }

    public override void CloseWithBackend()
    {
        if (_socketClosed)
            return;
        if (!_closed)
            BeginClose();
        FinishClose(reset: _sendCount > 0);
    }

    /// <summary>The peer did not take the bytes in time: give up with a reset.</summary>
    public void LingerExpired() => FinishClose(reset: true);

    public override string ToString() =>
        $"<SocketStreamSocket {(_socketClosed ? "released" : _closed ? "lingering" : _dead ? "dead" : _connected ? "connected" : "connecting")} " +
        $"peer={RemoteEndPoint} unread={UnreadCount} unsent={_sendCount}{(_endOfStream ? " eof" : "")}>";

    /// <summary>Starts connecting; throws what a connect that fails at once raises.</summary>
    internal void StartConnect(EndPoint remote)
    {
        _send.RemoteEndPoint = remote;
        _connecting = _sendPending = true;
        bool pending;
        try
        {
            pending = _socket.ConnectAsync(_send);
        }
        catch
        {
            _connecting = _sendPending = false;
            BeginClose();
            FinishClose(reset: false);
            throw;
        }
        if (pending)
            return;
        _connecting = _sendPending = false;
        var error = _send.SocketError;
        if (error == SocketError.Success)
        {
            Connected();
        }
        else if (LearnedFromTheNetwork(error))
        {
            // .NET finishes a connect at once when the answer is already in (a refusal on
            // loopback often is); epoll's connect(2) returned EINPROGRESS all the same and left
            // the answer to FinishConnect, and so does this.
            Fail(error);
            Changed();
        }
        else
        {
            BeginClose();
            FinishClose(reset: false);
            throw new SocketException((int)error);
        }
    }

    /// <summary>The local address of a socket not bound yet: the family's wildcard, or an unnamed Unix socket.</summary>
    private EndPoint UnboundEndPoint() => RemoteEndPoint.AddressFamily switch
    {
        AddressFamily.Unix => UnixEndPoint.Unnamed,
        AddressFamily.InterNetworkV6 => new IPEndPoint(IPAddress.IPv6Any, 0),
        _ => new IPEndPoint(IPAddress.Any, 0),
    };

    /// <summary>Errors a connect learns from the network (through SO_ERROR on epoll), as opposed to
    /// those connect(2) returns at once (no route, no local port, address family...).</summary>
    private static bool LearnedFromTheNetwork(SocketError error) => error is SocketError.ConnectionRefused
        or SocketError.TimedOut or SocketError.ConnectionReset or SocketError.ConnectionAborted or SocketError.HostUnreachable;

    private void ConnectDone()
    {
        _connecting = _sendPending = false;
        if (_socketClosed)
        {
            ReleaseWhenIdle();
            return;
        }
        if (_send.SocketError == SocketError.Success)
            Connected();
        else
            Fail(_send.SocketError);
        Changed();
    }

    private void Connected()
    {
        _connected = true;
        _local = null;
        PumpReceive();
    }

    /// <summary>Keeps the first error (SO_ERROR keeps one) and marks the connection dead; unsent
    /// bytes are dropped, unread ones stay readable before the error.</summary>
    private void Fail(SocketError error)
    {
        if (_dead)
            return;
        _dead = true;
        _pendingError = error;
        DropUnsent();
    }

    private void ThrowPendingError()
    {
        if (_pendingError is not { } error)
            return;
        _pendingError = null;
        throw new SocketException((int)error);
    }

    private void BeginClose()
    {
        if (_local is null && !_socketClosed)
        {
            try
            {
                _local = _socket.LocalEndPoint;
            }
            catch (SocketException)
            {
                // Not bound (a connect that failed at once): there is no local address to keep.
            }
        }
        _closed = true;
        StopWatching();
    }

    /// <summary>
    /// Whether received bytes were never read, here or still in the kernel: closing then resets
    /// the connection, as TCP does. Asked before shutting the sending side, because a FIN sent
    /// first would reach the peer as a clean end of stream ahead of the reset.
    /// </summary>
    private bool HasUnreadBytes()
    {
        if (UnreadCount > 0)
            return true;
        if (_socketClosed || !_connected || _dead)
            return false;
        try
        {
            return _socket.Available > 0;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    /// <summary>
    /// Closes the .NET socket: with a reset (SO_LINGER 0), or gracefully, shutting the sending side
    /// first so that cancelling the pending receive does not turn the close into a reset.
    /// </summary>
    private void FinishClose(bool reset)
    {
        Debug.Assert(_closed, "only a socket the loop closed is closed down to its descriptor");
        if (_socketClosed)
            return;
        Backend.StopLingering(this);
        reset = reset || HasUnreadBytes();
        try
        {
            if (reset)
                _socket.LingerState = new LingerOption(enable: true, seconds: 0);
            else if (_connected && !_dead && !_shutdownDone)
                _socket.Shutdown(SocketShutdown.Send);
        }
        catch (SocketException)
        {
            // The connection is already gone (reset by the peer): closing is all that is left.
        }
        _socket.Dispose();
        _socketClosed = true;
        DropUnsent();
        Backend.Forget(this);
        ReleaseWhenIdle();
    }

    /// <summary>Returns the buffers and the operations once no operation can still use them (an
    /// operation cancelled by the close completes later and calls this again).</summary>
    private void ReleaseWhenIdle()
    {
        if (!_socketClosed || _receivePending || _sendPending)
            return;
        _unreadStart = _unreadEnd = 0;
        ReturnReceiveBuffer();
        ReturnSendBuffer();
        _receive.Dispose();
        _send.Dispose();
    }

    [Conditional("DEBUG")]
    private void AssertInvariants()
    {
        Debug.Assert(UnreadCount == 0 || _receiveBuffer is not null, "unread bytes live in the receive buffer");
        Debug.Assert(!_receivePending || UnreadCount == 0, "no receive while unread bytes wait");
        Debug.Assert(_sendCount == 0 || _sendBuffer is not null, "unsent bytes live in the send buffer");
        Debug.Assert(_sendCount <= SendBufferSize, "the send buffer is bounded");
        Debug.Assert(_connected || _dead || (_sendCount == 0 && UnreadCount == 0), "no bytes move before the connect");
        Debug.Assert(!_socketClosed || _closed, "only a socket the loop closed is released");
        Debug.Assert(!_dead || _sendCount == 0, "a dead connection keeps no bytes to send");
    }
}

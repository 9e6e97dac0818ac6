using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Sim.Core;

namespace Sim.Net;

/// <summary>
/// One end of a simulated TCP connection — or of a Unix-domain stream connection, which behaves
/// the same once connected (ordered bytes in drawn chunks, FIN and half-close, reset) — as the
/// backend hands it to Sim.Core. Split by concern: this file (the primitive operations),
/// <c>SimStreamSocket.Wire.cs</c> (what arrives from the network: connect, data, FIN, RST),
/// <c>SimStreamSocket.Unix.cs</c> (a Unix-domain connect).
/// </summary>
[DebuggerDisplay("{ToString(),nq}")]
internal sealed partial class SimStreamSocket : IStreamSocket, IReadinessSource
{
    private readonly SimNetwork _network;
    private readonly bool _ownsPort;
    private State _state;
    private SocketError _connectError;
    private SimStreamSocket? _peer;
    private Flow? _outgoing;
    private Flow? _incoming;
    private bool _finReceived;
    private bool _resetReceived;
    // A reset that came while the connection was open is raised (ECONNRESET) by the next receive
    // or send, once, as Linux reports it; after that, or for a reset answering a send made after
    // the peer's end of stream (CLOSE_WAIT), receives see the end of the stream and sends EPIPE.
    // A Unix-domain socket's reset (its peer closed over unread bytes) is raised by the next
    // receive whether or not the end of stream came first, and never by a send (EPIPE).
    private bool _resetUnreported;
    private bool _resetSent;
    private bool _sendShutdown;
    private bool _closed;
    private string? _outboundLabel;
    private string? _inboundLabel;

    private enum State
    {
        Connecting,
        ConnectFailed,
        Established,
    }

    private SimStreamSocket(SimNetwork network, Host host, EndPoint local, EndPoint remote, State state, bool ownsPort)
    {
        _network = network;
        Host = host;
        LocalEndPoint = local;
        RemoteEndPoint = remote;
        IsUnix = local is UnixEndPoint;
        _state = state;
        _ownsPort = ownsPort;
        network.Register(this);
    }

    /// <summary>The host this end is on.</summary>
    public Host Host { get; }

    /// <summary>True for a Unix-domain connection (its trace events are "unix.*").</summary>
    public bool IsUnix { get; }

    public EndPoint LocalEndPoint { get; }

    public EndPoint RemoteEndPoint { get; }

    public IoReadiness Interest { get; private set; }

    public IIoWatcher? Watcher { get; private set; }

    public bool Armed { get; set; }

    public LinkedListNode<IReadinessSource>? Registration { get; set; }

    /// <summary>"local -> remote", for trace events about what this end sends.</summary>
    internal string OutboundLabel => _outboundLabel ??= $"{SimNetwork.Format(LocalEndPoint)} -> {SimNetwork.Format(RemoteEndPoint)}";

    /// <summary>"local &lt;- remote", for trace events about what this end receives.</summary>
    internal string InboundLabel => _inboundLabel ??= $"{SimNetwork.Format(LocalEndPoint)} <- {SimNetwork.Format(RemoteEndPoint)}";

    /// <summary>Bytes this end has received and its application not yet read.</summary>
    public int ReceivedCount => _incoming?.Unread ?? 0;

    public IoReadiness Readiness
    {
        get
        {
            if (_closed)
                return IoReadiness.None;
            if (_state == State.ConnectFailed)
                return IoReadiness.Writable;
            if (_state != State.Established)
                return IoReadiness.None;
            var readiness = IoReadiness.None;
            if (_incoming!.Unread > 0 || _finReceived || _resetReceived)
                readiness |= IoReadiness.Readable;
            if (_resetReceived || _sendShutdown || (IsUnix && _peer!._closed) || Window > 0)
                readiness |= IoReadiness.Writable;
            return readiness;
        }
    }

    /// <summary>What the peer still accepts: its window minus what is in flight or unread there.</summary>
    private int Window => _network.ReceiveWindow - _outgoing!.Held;

    public void Watch(IIoWatcher watcher, IoReadiness interest)
    {
        ArgumentNullException.ThrowIfNull(watcher);
        if (_closed)
            return;
        Watcher = interest == IoReadiness.None ? null : watcher;
        Interest = interest;
        _network.Rearm(this);
    }

    public void FinishConnect()
    {
        ObjectDisposedException.ThrowIf(_closed, this);
        switch (_state)
        {
            case State.Established:
                return;
            case State.ConnectFailed:
                throw SimNetwork.Error(_connectError, _connectError switch
                {
                    SocketError.ConnectionRefused => $"[Errno 111] Connect call failed {RemoteEndPoint}: connection refused",
                    SocketError.TimedOut => $"[Errno 110] Connect call failed {RemoteEndPoint}: timed out",
                    _ => $"Connect call failed {RemoteEndPoint}: {_connectError}",
                });
            default:
                throw new InvalidOperationException("The connect has not finished: call FinishConnect once the socket is writable.");
        }
    }

    public int Receive(Span<byte> buffer)
    {
        CheckConnected();
        if (_incoming!.Unread > 0)
        {
            var count = _incoming.Read(buffer);
            // The window opened: the peer may be able to send again.
            _network.Rearm(_peer!);
            return count;
        }
        if (_resetReceived)
        {
            ThrowUnreportedReset();
            return 0;
        }
        return _finReceived ? 0 : IStreamSocket.WouldBlock;
    }

    /// <summary>What is queued into both buffers, as one recvmsg takes it.</summary>
    public int Receive(Span<byte> first, Span<byte> second)
    {
        var count = Receive(first);
        if (count == first.Length && _incoming!.Unread > 0)
            count += _incoming.Read(second);
        return count;
    }

    public int Send(ReadOnlySpan<byte> data)
    {
        CheckConnected();
        // A Unix-domain send to a peer gone answers EPIPE and leaves the reset to the next receive.
        if (_resetReceived && !IsUnix)
            ThrowUnreportedReset();
        // A closed Unix-domain peer is known at once (same kernel): EPIPE, as Linux gives.
        if (_sendShutdown || _resetReceived || (IsUnix && _peer!._closed))
            throw SimNetwork.Error(SocketError.Shutdown, "[Errno 32] Broken pipe");
        var count = Math.Min(data.Length, Window);
        if (count <= 0)
            return 0;
        _network.NoteProgress();
        _outgoing!.SendData(data[..count]);
        return count;
    }

    private void ThrowUnreportedReset()
    {
        if (!_resetUnreported)
            return;
        _resetUnreported = false;
        throw SimNetwork.Error(SocketError.ConnectionReset, "[Errno 104] Connection reset by peer");
    }

    public void ShutdownSend()
    {
        CheckConnected();
        if (_sendShutdown || _resetReceived || _resetSent)
            return;
        _sendShutdown = true;
        _network.NoteProgress();
        _outgoing!.SendControl(SegmentKind.Fin);
        _network.Record(Host, Kind("tcp.fin", "unix.fin"), $"{SimNetwork.Format(LocalEndPoint)} -> {SimNetwork.Format(RemoteEndPoint)}");
    }

    public void Close()
    {
        if (_closed)
            return;
        if (_state == State.Established && !_resetReceived && !_resetSent)
        {
            if (_incoming!.Unread > 0)
            {
                // TCP resets rather than lose unread data silently.
                SendReset($"closed with {SimNetwork.Bytes(_incoming.Unread)} unread");
            }
            else if (!_sendShutdown)
            {
                _sendShutdown = true;
                _outgoing!.SendControl(SegmentKind.Fin);
            }
        }
        MarkClosed(Kind("tcp.close", "unix.close"));
    }

    public void Abort()
    {
        if (_closed)
            return;
        // A Unix-domain socket has no reset to send (SO_LINGER 0 does nothing there on Linux):
        // aborting closes, resetting only over unread bytes, as Close does.
        if (IsUnix)
        {
            Close();
            return;
        }
        if (_state == State.Established && !_resetReceived && !_resetSent)
            SendReset("aborted");
        MarkClosed(Kind("tcp.abort", "unix.abort"));
    }

    /// <summary>A connection its listener closed before accepting it: reset, on Unix-domain
    /// sockets too, where <see cref="Abort"/> only closes (Linux marks a never-accepted Unix peer
    /// ECONNRESET, <c>unix_release_sock</c>).</summary>
    internal void ResetUnaccepted()
    {
        if (_closed)
            return;
        if (!_resetReceived && !_resetSent)
            SendReset("never accepted");
        MarkClosed(Kind("tcp.abort", "unix.abort"));
    }

    public string Describe()
    {
        var state = _state switch
        {
            State.Connecting => "connecting",
            State.ConnectFailed => $"connect failed ({_connectError})",
            _ => "established",
        };
        var details = new List<string> { state };
        if (ReceivedCount > 0)
            details.Add($"{SimNetwork.Bytes(ReceivedCount)} unread");
        if (_finReceived)
            details.Add("end of stream received");
        if (_resetReceived)
            details.Add("reset by the peer");
        if (_sendShutdown)
            details.Add("sending shut down");
        if (_outgoing is { InFlight: > 0 } flow)
            details.Add($"{SimNetwork.Bytes(flow.InFlight)} in flight");
        details.Add(SimNetwork.DescribeInterest(Interest));
        return $"{Host.Name} {Kind("tcp", "unix")} {SimNetwork.Format(LocalEndPoint)} -> {SimNetwork.Format(RemoteEndPoint)} ({string.Join(", ", details)})";
    }

    public override string ToString() =>
        $"<SimStreamSocket {_state}{(_closed ? " closed" : "")} {LocalEndPoint} -> {RemoteEndPoint} unread={ReceivedCount}{(_finReceived ? " fin" : "")}{(_resetReceived ? " reset" : "")}>";

    /// <summary>The trace event kind for this connection's protocol.</summary>
    private string Kind(string tcp, string unix) => IsUnix ? unix : tcp;

    private void CheckConnected()
    {
        ObjectDisposedException.ThrowIf(_closed, this);
        if (_state != State.Established)
            throw SimNetwork.Error(SocketError.NotConnected, "[Errno 107] Transport endpoint is not connected");
    }

    private void SendReset(string why)
    {
        _resetSent = true;
        _outgoing!.SendControl(SegmentKind.Rst);
        _network.Record(Host, Kind("tcp.rst", "unix.rst"), $"{SimNetwork.Format(LocalEndPoint)} -> {SimNetwork.Format(RemoteEndPoint)} ({why})");
    }

    private void MarkClosed(string kind)
    {
        _closed = true;
        _network.NoteProgress();
        _network.Unregister(this);
        _incoming?.DiscardUnread();
        Watcher = null;
        Interest = IoReadiness.None;
        _synTimer?.Cancel();
        _synTimer = null;
        _connectTimeout?.Cancel();
        if (_ownsPort)
            Host.ReleasePort(((IPEndPoint)LocalEndPoint).Port);
        if (_peer is { } peer && peer._closed)
            _network.OpenConnections--;
        // A Unix-domain peer's sends fail from now on: a writer waiting for room must hear it.
        if (IsUnix && _peer is { } unixPeer)
            _network.Rearm(unixPeer);
        _network.Record(Host, kind, $"{SimNetwork.Format(LocalEndPoint)} -> {SimNetwork.Format(RemoteEndPoint)}");
    }
}

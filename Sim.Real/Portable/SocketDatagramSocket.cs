using System.Buffers;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Sim.Core;

namespace Sim.Real.Portable;

/// <summary>
/// A UDP socket of <see cref="SocketBackend"/>: readiness emulated over .NET's completions, as for
/// the stream sockets. One receive is outstanding while no datagram waits here (the kernel queues
/// the others), and one send at most is in flight: Readable = a datagram or an error waits,
/// Writable = no send in flight.
/// </summary>
/// <remarks>
/// Errors follow Linux: on a connected socket an ICMP port unreachable completes the pending
/// receive (or a send) with ConnectionRefused; the first such error is kept and reported once by
/// the next <see cref="ReceiveFrom"/> or <see cref="SendTo"/>, and the socket is readable meanwhile.
/// A socket opened without a local address is bound by the kernel on its first send or connect,
/// and only then starts receiving (.NET refuses a receive on an unbound socket). A datagram still in
/// flight when the socket closes (a send that had not completed) may be lost, as UDP allows.
/// </remarks>
[DebuggerDisplay("{ToString(),nq}")]
internal sealed class SocketDatagramSocket : SocketEndpoint, IDatagramSocket
{
    // The largest UDP payload: the buffer a datagram is received into whole (IPv6's limit; IPv4's,
    // 65,507, is smaller).
    private const int DatagramSizeMax = 65_527;

    private readonly Socket _socket;
    private readonly SocketOperation _receive;
    private readonly SocketOperation _send;
    private readonly EndPoint _any;
    private byte[]? _receiveBuffer;
    private byte[]? _sendBuffer;
    private EndPoint? _local;
    private EndPoint? _datagramFrom;
    private int _datagramLength = -1;   // the datagram waiting here, -1 when none
    private SocketError? _pendingError;
    private bool _bound;
    private bool _receivePending;
    private bool _sendPending;
    private bool _closed;

    public SocketDatagramSocket(SocketBackend backend, Socket socket, EndPoint? remote, bool bound)
        : base(backend)
    {
        _socket = socket;
        _receive = new SocketOperation(backend, this);
        _send = new SocketOperation(backend, this);
        _any = socket.AddressFamily == AddressFamily.InterNetworkV6 ? new IPEndPoint(IPAddress.IPv6Any, 0) : new IPEndPoint(IPAddress.Any, 0);
        RemoteEndPoint = remote;
        _bound = bound;
        backend.Adopt(this);
        PumpReceive();
    }

    public EndPoint LocalEndPoint
    {
        get
        {
            if (_local is not null || _closed)
                return _local ?? _any;
            var local = _bound ? _socket.LocalEndPoint : null;
            if (local is IPEndPoint { Port: not 0 })
                _local = local;
            return local ?? _any;
        }
    }

    public EndPoint? RemoteEndPoint { get; }

    public override IoReadiness Readiness
    {
        get
        {
            if (_closed)
                return IoReadiness.None;
            var ready = _sendPending ? IoReadiness.None : IoReadiness.Writable;
            if (_datagramLength >= 0 || _pendingError is not null)
                ready |= IoReadiness.Readable;
            return ready;
        }
    }

    public void Watch(IIoWatcher watcher, IoReadiness interest)
    {
        ObjectDisposedException.ThrowIf(_closed, this);
        SetWatch(watcher, interest);
    }

    public int ReceiveFrom(Span<byte> buffer, out EndPoint? remote)
    {
        ObjectDisposedException.ThrowIf(_closed, this);
        if (_datagramLength < 0)
        {
            remote = null;
            ThrowPendingError();
            return IDatagramSocket.WouldBlock;
        }
        // The rest of a datagram longer than the buffer is discarded, as recvfrom does.
        var count = Math.Min(buffer.Length, _datagramLength);
        _receiveBuffer.AsSpan(0, count).CopyTo(buffer);
        remote = _datagramFrom;
        _datagramLength = -1;
        _datagramFrom = null;
        PumpReceive();
        return count;
    }

    public bool SendTo(ReadOnlySpan<byte> datagram, EndPoint? remote)
    {
        ObjectDisposedException.ThrowIf(_closed, this);
        ThrowPendingError();
        if (remote is null && RemoteEndPoint is null)
            throw new SocketException((int)SocketError.DestinationAddressRequired);
        if (datagram.Length > SizeMax())
            throw new SocketException((int)SocketError.MessageSize);
        if (_sendPending)
            return false;
        _sendBuffer ??= ArrayPool<byte>.Shared.Rent(DatagramSizeMax);
        datagram.CopyTo(_sendBuffer);
        _send.SetBuffer(_sendBuffer.AsMemory(0, datagram.Length));
        _send.RemoteEndPoint = remote ?? RemoteEndPoint;
        _sendPending = true;
        var pending = RemoteEndPoint is null ? _socket.SendToAsync(_send) : _socket.SendAsync(_send);
        // The kernel binds an unbound socket on its first send: receiving can start.
        _bound = true;
        if (!pending)
            SendDone();
        PumpReceive();
        return true;
    }

    public void Close()
    {
        if (_closed)
            return;
        _ = LocalEndPoint;
        _closed = true;
        StopWatching();
        _socket.Dispose();
        _datagramLength = -1;
        Backend.Forget(this);
        ReleaseWhenIdle();
    }

    public override void Complete(SocketOperation operation)
    {
        if (operation == _receive)
        {
            ReceiveDone();
            PumpReceive();
        }
        else
        {
            SendDone();
        }
    }

    public override void CloseWithBackend() => Close();

    public override string ToString() =>
        $"<SocketDatagramSocket {(_closed ? "closed" : "open")} local={LocalEndPoint} peer={RemoteEndPoint?.ToString() ?? "none"}>";

    /// <summary>Binds and connects a new socket as asked, then wraps it.</summary>
    internal static SocketDatagramSocket Open(SocketBackend backend, AddressFamily family, IPEndPoint? local, IPEndPoint? remote)
    {
        if (family is not (AddressFamily.InterNetwork or AddressFamily.InterNetworkV6))
            throw new SocketException((int)SocketError.AddressFamilyNotSupported);
        var socket = new Socket(family, SocketType.Dgram, ProtocolType.Udp);
        try
        {
            if (family == AddressFamily.InterNetworkV6)
                socket.DualMode = false;
            if (local is not null)
                socket.Bind(local);
            // A UDP connect only fixes the peer: it never waits.
            if (remote is not null)
                socket.Connect(remote);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
        return new SocketDatagramSocket(backend, socket, remote, bound: local is not null || remote is not null);
    }

    /// <summary>The largest datagram the socket's family can carry (what sendto refuses with EMSGSIZE).</summary>
    private int SizeMax() => _socket.AddressFamily == AddressFamily.InterNetworkV6 ? DatagramSizeMax : 65_507;

    /// <summary>Keeps one receive outstanding while bound, open and no datagram or error waits here.</summary>
    private void PumpReceive()
    {
        while (!_closed && _bound && !_receivePending && _datagramLength < 0 && _pendingError is null)
        {
            _receiveBuffer ??= ArrayPool<byte>.Shared.Rent(DatagramSizeMax);
            _receive.SetBuffer(_receiveBuffer.AsMemory(0, DatagramSizeMax));
            _receive.RemoteEndPoint = _any;
            _receivePending = true;
            if (_socket.ReceiveFromAsync(_receive))
                return;
            ReceiveDone();
        }
    }

    private void ReceiveDone()
    {
        _receivePending = false;
        if (_closed)
        {
            ReleaseWhenIdle();
            return;
        }
        var error = _receive.SocketError;
        if (error == SocketError.Success)
        {
            _datagramLength = _receive.BytesTransferred;
            _datagramFrom = _receive.RemoteEndPoint;
        }
        else if (error != SocketError.OperationAborted)
        {
            _pendingError ??= error;
        }
        Changed();
    }

    private void SendDone()
    {
        _sendPending = false;
        if (_closed)
        {
            ReleaseWhenIdle();
            return;
        }
        // The datagram is gone either way; an error (ConnectionRefused after a port unreachable)
        // is reported by the next operation, as a pending socket error is.
        if (_send.SocketError is not (SocketError.Success or SocketError.OperationAborted))
            _pendingError ??= _send.SocketError;
        Changed();
    }

    private void ThrowPendingError()
    {
        if (_pendingError is not { } error)
            return;
        _pendingError = null;
        PumpReceive();
        throw new SocketException((int)error);
    }

    /// <summary>Returns the buffers and the operations once no operation can still use them.</summary>
    private void ReleaseWhenIdle()
    {
        if (!_closed || _receivePending || _sendPending)
            return;
        if (_receiveBuffer is not null)
            ArrayPool<byte>.Shared.Return(_receiveBuffer);
        if (_sendBuffer is not null)
            ArrayPool<byte>.Shared.Return(_sendBuffer);
        _receiveBuffer = _sendBuffer = null;
        _receive.Dispose();
        _send.Dispose();
    }
}

using System.Buffers;
using System.Net.Sockets;
using Sim.Core;

namespace Sim.Real.Portable;

/// <summary>
/// The receiving side: while connected, one receive is always outstanding unless bytes wait
/// unread, the stream has ended or the connection is dead (the kernel goes on receiving
/// whatever the loop's interest, and so does this). A zero-byte receive waits without a buffer;
/// when it completes, a receive into a pooled buffer takes what is there.
/// </summary>
internal sealed partial class SocketStreamSocket
{
    // Bytes taken per receive (libuv's suggested read size). Large enough that one completion
    // carries a typical burst; bounded because it is also what a socket whose reader paused
    // holds on the loop's behalf before TCP's window closes on the sender.
    internal const int ReceiveBufferSize = 64 * 1024;

    private byte[]? _receiveBuffer;
    private int _unreadStart;
    private int _unreadEnd;
    private bool _receivePending;
    private bool _probing;       // the pending receive is a zero-byte one
    private bool _readDirect;    // a zero-byte receive said something is there: take it
    private bool _endOfStream;

    private int UnreadCount => _unreadEnd - _unreadStart;

    public int Receive(Span<byte> buffer)
    {
        ObjectDisposedException.ThrowIf(_closed, this);
        // Unread bytes come first, then the end of the stream, then an error (Linux's order).
        if (UnreadCount > 0)
            return TakeUnread(buffer);
        if (_endOfStream)
            return 0;
        ThrowPendingError();
        if (_dead)
            return 0;
        return IStreamSocket.WouldBlock;
    }

    /// <summary>The unread bytes into both buffers (they are in memory already: no second wait).</summary>
    public int Receive(Span<byte> first, Span<byte> second)
    {
        var count = Receive(first);
        if (count == first.Length && UnreadCount > 0)
            count += TakeUnread(second);
        return count;
    }

    private int TakeUnread(Span<byte> buffer)
    {
        var count = Math.Min(buffer.Length, UnreadCount);
        _receiveBuffer.AsSpan(_unreadStart, count).CopyTo(buffer);
        _unreadStart += count;
        if (UnreadCount == 0)
        {
            _unreadStart = _unreadEnd = 0;
            ReturnReceiveBuffer();
            PumpReceive();
        }
        AssertInvariants();
        return count;
    }

    /// <summary>Starts receives until one is pending or there is no reason to receive.</summary>
    private void PumpReceive()
    {
        while (!_closed && _connected && !_dead && !_endOfStream && !_receivePending && UnreadCount == 0)
        {
            _probing = !_readDirect;
            if (_probing)
            {
                _receive.SetBuffer(Memory<byte>.Empty);
            }
            else
            {
                _receiveBuffer ??= ArrayPool<byte>.Shared.Rent(ReceiveBufferSize);
                _receive.SetBuffer(_receiveBuffer.AsMemory(0, ReceiveBufferSize));
            }
            _receivePending = true;
            if (_socket.ReceiveAsync(_receive))
                return;
            ReceiveDone();
        }
    }

    /// <summary>A receive finished (at once, or in a completion drained by Poll).</summary>
    private void ReceiveDone()
    {
        _receivePending = false;
        if (_socketClosed)
        {
            ReleaseWhenIdle();
            return;
        }
        var error = _receive.SocketError;
        var count = _receive.BytesTransferred;
        var probed = _probing;
        _probing = false;
        _readDirect = probed && error == SocketError.Success;
        if (error != SocketError.Success)
        {
            ReturnReceiveBuffer();
            Fail(error);
        }
        else if (probed)
        {
            // Bytes, the end of the stream or an error wait: the next receive takes them.
            return;
        }
        else if (count == 0)
        {
            ReturnReceiveBuffer();
            _endOfStream = true;
        }
        else
        {
            (_unreadStart, _unreadEnd) = (0, count);
        }
        Changed();
    }

    private void ReturnReceiveBuffer()
    {
        if (_receiveBuffer is null || _receivePending || UnreadCount > 0)
            return;
        ArrayPool<byte>.Shared.Return(_receiveBuffer);
        _receiveBuffer = null;
    }
}

using System.Buffers;
using System.Net.Sockets;

namespace Sim.Real.Portable;

/// <summary>
/// The sending side: <see cref="Send(ReadOnlySpan{byte})"/> copies into a bounded ring buffer that stands in for
/// the kernel's send buffer, and one send at a time hands its oldest bytes to .NET. Writable
/// means the ring has room; a full ring is what "would block" means here.
/// </summary>
internal sealed partial class SocketStreamSocket
{
    // The send buffer's bound, standing in for the kernel's (Linux starts at 16 KiB and grows
    // to megabytes; Windows sizes it dynamically). 64 KiB is asyncio's write-buffer high-water
    // mark: one send carries a whole burst of a transport's writes, while a peer that stops
    // reading pins at most this much here before the transport sees "would block" and
    // applies its own flow control.
    internal const int SendBufferSize = 64 * 1024;

    private byte[]? _sendBuffer;
    private int _sendHead;
    private int _sendCount;
    private bool _sendPending;
    private bool _sendShutdown;  // ShutdownSend or Close asked for the FIN
    private bool _shutdownDone;  // ... and it was sent

    public int Send(ReadOnlySpan<byte> data)
    {
        ObjectDisposedException.ThrowIf(_closed, this);
        ThrowPendingError();
        if (_dead || _sendShutdown)
            throw new SocketException((int)SocketError.Shutdown);
        if (!_connected)
            return 0;
        var accepted = CopyIntoRing(data);
        if (accepted == 0)
            return 0;
        PumpSend();
        AssertInvariants();
        return accepted;
    }

    /// <summary>The segments copied into the send ring in one call, as much as it has room for,
    /// then one send started.</summary>
    public int Send(ReadOnlySpan<ReadOnlyMemory<byte>> segments)
    {
        ObjectDisposedException.ThrowIf(_closed, this);
        ThrowPendingError();
        if (_dead || _sendShutdown)
            throw new SocketException((int)SocketError.Shutdown);
        if (!_connected)
            return 0;
        var total = 0;
        foreach (var segment in segments)
        {
            var accepted = CopyIntoRing(segment.Span);
            total += accepted;
            if (accepted < segment.Length)
                break;
        }
        if (total == 0)
            return 0;
        PumpSend();
        AssertInvariants();
        return total;
    }

    /// <summary>Copies what fits of <paramref name="data"/> into the send ring; returns how much.</summary>
    private int CopyIntoRing(ReadOnlySpan<byte> data)
    {
        var accepted = Math.Min(data.Length, SendBufferSize - _sendCount);
        if (accepted == 0)
            return 0;
        _sendBuffer ??= ArrayPool<byte>.Shared.Rent(SendBufferSize);
        var tail = (_sendHead + _sendCount) % SendBufferSize;
        var first = Math.Min(accepted, SendBufferSize - tail);
        data[..first].CopyTo(_sendBuffer.AsSpan(tail));
        data[first..accepted].CopyTo(_sendBuffer);
        _sendCount += accepted;
        return accepted;
    }

    public void ShutdownSend()
    {
        ObjectDisposedException.ThrowIf(_closed, this);
        if (_sendShutdown)
            return;
        if (!_connected || _dead)
        {
            // What shutdown(2) says of a socket with no connection.
            throw new SocketException((int)SocketError.NotConnected);
        }
        _sendShutdown = true;
        if (_sendCount == 0)
            ShutdownNow();
    }

    /// <summary>Starts sends until one is pending or the ring is empty.</summary>
    private void PumpSend()
    {
        while (_sendCount > 0 && !_sendPending && !_dead && !_socketClosed)
        {
            var length = Math.Min(_sendCount, SendBufferSize - _sendHead);
            _send.SetBuffer(_sendBuffer.AsMemory(_sendHead, length));
            _sendPending = true;
            if (_socket.SendAsync(_send))
                return;
            SendDone();
        }
        if (_sendCount == 0 && !_sendPending)
            SendDrained();
    }

    /// <summary>A send finished (at once, or in a completion drained by Poll).</summary>
    private void SendDone()
    {
        _sendPending = false;
        if (_socketClosed)
        {
            ReleaseWhenIdle();
            return;
        }
        var sent = _send.BytesTransferred;
        if (_send.SocketError != SocketError.Success || sent <= 0)
        {
            Fail(_send.SocketError == SocketError.Success ? SocketError.ConnectionReset : _send.SocketError);
        }
        else
        {
            _sendHead = (_sendHead + sent) % SendBufferSize;
            _sendCount -= sent;
        }
        Changed();
    }

    /// <summary>Everything accepted has been handed over: the FIN, or the close, may follow.</summary>
    private void SendDrained()
    {
        _sendHead = 0;
        ReturnSendBuffer();
        if (_socketClosed)
            return;
        if (_sendShutdown && !_shutdownDone && !_dead)
        {
            try
            {
                ShutdownNow();
            }
            catch (SocketException error)
            {
                Fail(error.SocketErrorCode);
            }
        }
        if (_closed)
            FinishClose(reset: _dead);
    }

    private void ShutdownNow()
    {
        _socket.Shutdown(SocketShutdown.Send);
        _shutdownDone = true;
    }

    private void DropUnsent()
    {
        _sendCount = 0;
        _sendHead = 0;
        ReturnSendBuffer();
    }

    private void ReturnSendBuffer()
    {
        if (_sendBuffer is null || _sendPending || _sendCount > 0)
            return;
        ArrayPool<byte>.Shared.Return(_sendBuffer);
        _sendBuffer = null;
    }
}

using System.Net.Sockets;

namespace Sim.Core;

internal sealed partial class SocketTransport
{
    // Bytes received per read callback (asyncio's max_size, 256 KiB): large enough that a fast
    // peer is drained in a few callbacks, bounded so one connection cannot starve the others.
    private const int ReceiveSizeMax = 256 * 1024;

    // One receive buffer per thread: DataReceived gets a span that is valid during the call only,
    // and no read can start while another protocol call runs, so idle connections cost nothing.
    // Page-aligned: the kernel's copies into it and, for an echo, out of it run at full speed.
    [ThreadStatic]
    private static ArraySegment<byte> s_receiveBuffer;

    /// <inheritdoc/>
    public void PauseReading()
    {
        if (!IsReading)
            return;
        _readingPaused = true;
        RemoveInterest(IoReadiness.Readable);
    }

    /// <inheritdoc/>
    public void ResumeReading()
    {
        if (_closing || !_readingPaused)
            return;
        _readingPaused = false;
        AddReader();
    }

    // After EOF a socket stays readable (each receive returns 0 again): reading is never watched
    // again, so a ResumeReading after EofReceived (a user's, or Sendfile's around its transfer)
    // does not call EofReceived a second time. IsReading still says true there, as asyncio's
    // is_reading does; asyncio and uvloop do call eof_received again.
    private void AddReader()
    {
        if (IsReading && !_eofReceived)
            AddInterest(IoReadiness.Readable);
    }

    /// <summary>The socket is readable (a queued callback: reading may have stopped meanwhile).</summary>
    private void ReadReady()
    {
        if (_connectionLost > 0 || (_interest & IoReadiness.Readable) == 0)
            return;
        if (_protocol is IBufferedProtocol buffered)
            ReadIntoProtocolBuffer(buffered);
        else
            ReadAndHandOver((IProtocol)_protocol);
    }

    private void ReadAndHandOver(IProtocol protocol)
    {
        var buffer = ReceiveBuffer();
        int count;
        try
        {
            count = _socket.Receive(buffer);
        }
        catch (SocketException error)
        {
            FatalError(error, "Fatal read error on socket transport");
            return;
        }
        if (count == IStreamSocket.WouldBlock)
            return;
        if (count == 0)
        {
            EofReceived();
            return;
        }
        try
        {
            _grammar.Enter(ProtocolCall.DataReceived);
            protocol.DataReceived(buffer[..count]);
        }
        catch (Exception error)
        {
            FatalError(error, "Fatal error: protocol.DataReceived() call failed.");
        }
    }

    private void ReadIntoProtocolBuffer(IBufferedProtocol protocol)
    {
        Memory<byte> buffer;
        var overflow = Memory<byte>.Empty;
        var split = protocol as ISplitBufferedProtocol;
        try
        {
            buffer = split is not null ? split.GetBuffers(out overflow) : protocol.GetBuffer(-1);
            if (buffer.IsEmpty)
                throw new InvalidOperationException("GetBuffer() returned an empty buffer");
        }
        catch (Exception error)
        {
            FatalError(error, "Fatal error: protocol.GetBuffer() call failed.");
            return;
        }
        int count;
        try
        {
            count = overflow.IsEmpty ? _socket.Receive(buffer.Span) : _socket.Receive(buffer.Span, overflow.Span);
        }
        catch (SocketException error)
        {
            split?.BuffersUnused();
            FatalError(error, "Fatal read error on socket transport");
            return;
        }
        if (count <= 0)
            split?.BuffersUnused();
        if (count == IStreamSocket.WouldBlock)
            return;
        if (count == 0)
        {
            EofReceived();
            return;
        }
        try
        {
            _grammar.Enter(ProtocolCall.DataReceived);
            protocol.BufferUpdated(count);
        }
        catch (Exception error)
        {
            FatalError(error, "Fatal error: protocol.BufferUpdated() call failed.");
        }
    }

    /// <summary>This thread's receive buffer, allocated on first use.</summary>
    private static Span<byte> ReceiveBuffer()
    {
        if (s_receiveBuffer.Array is null)
            s_receiveBuffer = PageAlignedBuffer.Allocate(ReceiveSizeMax);
        return s_receiveBuffer.AsSpan();
    }

    /// <summary>The peer shut its side: the protocol decides between half-open and close.</summary>
    private void EofReceived()
    {
        _eofReceived = true;
        bool keepOpen;
        try
        {
            _grammar.Enter(ProtocolCall.EofReceived);
            keepOpen = _protocol switch
            {
                IBufferedProtocol buffered => buffered.EofReceived(),
                _ => ((IProtocol)_protocol).EofReceived(),
            };
        }
        catch (Exception error)
        {
            FatalError(error, "Fatal error: protocol.EofReceived() call failed.");
            return;
        }
        if (keepOpen)
        {
            // The protocol may still write, but nothing more can be received.
            RemoveInterest(IoReadiness.Readable);
        }
        else
        {
            Close();
        }
    }
}

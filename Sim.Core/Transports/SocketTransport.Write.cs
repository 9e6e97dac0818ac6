using System.Net.Sockets;

namespace Sim.Core;

internal sealed partial class SocketTransport
{
    // Writes dropped after the connection was lost before each one is logged (asyncio's
    // LOG_THRESHOLD_FOR_CONNLOST_WRITES): one stray write is normal, a stream of them is a bug.
    private const int LostWritesLoggedFrom = 5;

    // Segments handed to the socket in one vectored send: a burst of writes or a WriteLines goes
    // out in one system call (Linux takes up to 1,024; this many keeps the scratch small).
    private const int SegmentsPerSendMax = 256;

    // Scratch for building a vectored send, one per thread; taken while in use, so a protocol
    // writing again from PauseWriting gets a fresh one rather than this one.
    [ThreadStatic]
    private static ReadOnlyMemory<byte>[]? s_segments;

    private readonly WriteBuffer _writeBuffer = new();
    private bool _eof;

    /// <inheritdoc/>
    public void Write(ReadOnlySpan<byte> data)
    {
        if (_eof)
            throw new InvalidOperationException("Cannot call write() after write_eof()");
        ThrowIfSendfileInProgress();
        if (data.IsEmpty)
            return;
        if (_connectionLost > 0)
        {
            if (_connectionLost >= LostWritesLoggedFrom)
                _loop.LogWarning("socket.send() raised exception.");
            _connectionLost++;
            return;
        }
        if (_writeBuffer.Length == 0)
        {
            // Nothing queued: try to send at once.
            int sent;
            try
            {
                sent = _socket.Send(data);
            }
            catch (SocketException error)
            {
                FatalError(error, "Fatal write error on socket transport");
                return;
            }
            data = data[sent..];
            if (data.IsEmpty)
                return;
            AddInterest(IoReadiness.Writable);
        }
        _writeBuffer.Append(data);
        MaybePauseProtocol();
    }

    /// <inheritdoc/>
    /// <remarks>The pieces go to the socket as they are, in one vectored send (as many as
    /// <see cref="SegmentsPerSendMax"/> at a time) rather than joined; only what the network does not
    /// take is copied into the write buffer. Buffering and flow control are those of one
    /// <see cref="Write"/> of the pieces joined.</remarks>
    public void WriteLines(IEnumerable<byte[]> lines)
    {
        ArgumentNullException.ThrowIfNull(lines);
        if (_eof)
            throw new InvalidOperationException("Cannot call write() after write_eof()");
        ThrowIfSendfileInProgress();
        var segments = s_segments ?? new ReadOnlyMemory<byte>[SegmentsPerSendMax];
        s_segments = null;
        var count = 0;
        try
        {
            foreach (var line in lines)
            {
                if (line is null || line.Length == 0)
                    continue;
                segments[count++] = line;
                if (count < segments.Length)
                    continue;
                WriteSegments(segments);
                Array.Clear(segments);
                count = 0;
                if (_connectionLost > 0)
                    return; // counted once, as one Write of all the pieces would be
            }
            if (count > 0)
                WriteSegments(segments.AsSpan(0, count));
            // Once, after every piece is in: the protocol hears what one Write of them all would tell it.
            if (_connectionLost == 0)
                MaybePauseProtocol();
        }
        finally
        {
            Array.Clear(segments, 0, count);
            s_segments = segments;
        }
    }

    /// <summary><see cref="Write"/> of <paramref name="segments"/> joined, without joining them,
    /// and without the flow-control check, which the caller makes once all pieces are in.</summary>
    private void WriteSegments(ReadOnlySpan<ReadOnlyMemory<byte>> segments)
    {
        if (_connectionLost > 0)
        {
            if (_connectionLost >= LostWritesLoggedFrom)
                _loop.LogWarning("socket.send() raised exception.");
            _connectionLost++;
            return;
        }
        var sent = 0;
        if (_writeBuffer.Length == 0)
        {
            // Nothing queued: try to send at once, all pieces in one call.
            try
            {
                sent = _socket.Send(segments);
            }
            catch (SocketException error)
            {
                FatalError(error, "Fatal write error on socket transport");
                return;
            }
            if (sent == TotalLength(segments))
                return;
            AddInterest(IoReadiness.Writable);
        }
        foreach (var segment in segments)
        {
            if (sent >= segment.Length)
            {
                sent -= segment.Length;
                continue;
            }
            _writeBuffer.Append(segment.Span[sent..]);
            sent = 0;
        }
    }

    private static long TotalLength(ReadOnlySpan<ReadOnlyMemory<byte>> segments)
    {
        long total = 0;
        foreach (var segment in segments)
            total += segment.Length;
        return total;
    }

    /// <inheritdoc/>
    public void WriteEof()
    {
        if (_closing || _eof)
            return;
        _eof = true;
        if (_writeBuffer.Length == 0)
            ShutdownSend();
    }

    /// <summary>Sends the FIN. A socket the peer has reset refuses it (ENOTCONN, before a receive
    /// reported the reset): that is the transport's fatal error, as uvloop reports a failed
    /// shutdown, not an exception out of WriteEof or a writable callback.</summary>
    private void ShutdownSend()
    {
        try
        {
            _socket.ShutdownSend();
        }
        catch (SocketException error)
        {
            FatalError(error, "Fatal error on socket transport shutting down its sending side");
        }
    }

    /// <inheritdoc/>
    public bool CanWriteEof() => true;

    /// <inheritdoc/>
    public int GetWriteBufferSize() => _writeBuffer.Length;

    /// <inheritdoc/>
    public void SetWriteBufferLimits(int? high = null, int? low = null) => _flow.SetLimits(high, low, _writeBuffer.Length, _protocol);

    /// <inheritdoc/>
    public (int Low, int High) GetWriteBufferLimits() => (_flow.Low, _flow.High);

    /// <summary>The socket is writable: send what the buffer holds.</summary>
    private void WriteReady()
    {
        if (_connectionLost > 0 || _writeBuffer.Length == 0)
            return;
        int sent;
        try
        {
            sent = SendBuffered();
        }
        catch (SocketException error)
        {
            RemoveInterest(IoReadiness.Writable);
            _writeBuffer.Clear();
            FatalError(error, "Fatal write error on socket transport");
            return;
        }
        _writeBuffer.Consume(sent);
        MaybeResumeProtocol();   // may append to the buffer, or close or abort (then ConnectionLost is on its way)
        if (_connectionLost > 0 || _writeBuffer.Length > 0)
            return;
        RemoveInterest(IoReadiness.Writable);
        WriteBufferEmptied();
        if (_closing)
        {
            _connectionLost++;
            CallConnectionLost(null);
        }
        else if (_eof)
        {
            ShutdownSend();
        }
    }

    /// <summary>Sends what the buffer holds: its one chunk as is, several chunks in one vectored send.</summary>
    private int SendBuffered()
    {
        if (_writeBuffer.SegmentCount == 1)
            return _socket.Send(_writeBuffer.First);
        var segments = s_segments ?? new ReadOnlyMemory<byte>[SegmentsPerSendMax];
        s_segments = null;
        var count = _writeBuffer.GetSegments(segments);
        try
        {
            return _socket.Send(segments.AsSpan(0, count));
        }
        finally
        {
            Array.Clear(segments, 0, count);
            s_segments = segments;
        }
    }

    private void MaybePauseProtocol() => _flow.MaybePause(_writeBuffer.Length, _protocol);

    private void MaybeResumeProtocol() => _flow.MaybeResume(_writeBuffer.Length, _protocol);
}

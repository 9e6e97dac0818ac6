using System.Net.Sockets;

namespace Sim.Core;

internal sealed partial class SocketTransport
{
    // asyncio's write-buffer marks: pause the protocol above 64 KiB buffered, resume at 16 KiB.
    // A quarter keeps pause/resume from thrashing while the buffer drains.
    internal const int DefaultHighWater = 64 * 1024;

    // Writes dropped after the connection was lost before each one is logged (asyncio's
    // LOG_THRESHOLD_FOR_CONNLOST_WRITES): one stray write is normal, a stream of them is a bug.
    private const int LostWritesLoggedFrom = 5;

    private readonly ByteBuffer _writeBuffer = new();
    private int _highWater = DefaultHighWater;
    private int _lowWater = DefaultHighWater / 4;
    private bool _writingPaused;
    private bool _eof;

    /// <inheritdoc/>
    public void Write(ReadOnlySpan<byte> data)
    {
        if (_eof)
            throw new InvalidOperationException("Cannot call write() after write_eof()");
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
    public void WriteLines(IEnumerable<byte[]> lines)
    {
        ArgumentNullException.ThrowIfNull(lines);
        var joined = new ByteBuffer();
        foreach (var line in lines)
            joined.Append(line);
        Write(joined.Span);
    }

    /// <inheritdoc/>
    public void WriteEof()
    {
        if (_closing || _eof)
            return;
        _eof = true;
        if (_writeBuffer.Length == 0)
            _socket.ShutdownSend();
    }

    /// <inheritdoc/>
    public bool CanWriteEof() => true;

    /// <inheritdoc/>
    public int GetWriteBufferSize() => _writeBuffer.Length;

    /// <inheritdoc/>
    public void SetWriteBufferLimits(int? high = null, int? low = null)
    {
        var h = high ?? (low is { } l ? 4 * l : DefaultHighWater);
        var w = low ?? h / 4;
        if (!(h >= w && w >= 0))
            throw new ArgumentOutOfRangeException(high is null ? nameof(low) : nameof(high), $"high ({h}) must be >= low ({w}) must be >= 0");
        _highWater = h;
        _lowWater = w;
        MaybePauseProtocol();
    }

    /// <inheritdoc/>
    public (int Low, int High) GetWriteBufferLimits() => (_lowWater, _highWater);

    /// <summary>The socket is writable: send what the buffer holds.</summary>
    private void WriteReady()
    {
        if (_connectionLost > 0 || _writeBuffer.Length == 0)
            return;
        int sent;
        try
        {
            sent = _socket.Send(_writeBuffer.Span);
        }
        catch (SocketException error)
        {
            RemoveInterest(IoReadiness.Writable);
            _writeBuffer.Clear();
            FatalError(error, "Fatal write error on socket transport");
            return;
        }
        _writeBuffer.Consume(sent);
        MaybeResumeProtocol();   // may append to the buffer
        if (_writeBuffer.Length > 0)
            return;
        RemoveInterest(IoReadiness.Writable);
        if (_closing)
        {
            _connectionLost++;
            CallConnectionLost(null);
        }
        else if (_eof)
        {
            _socket.ShutdownSend();
        }
    }

    private void MaybePauseProtocol()
    {
        if (_writeBuffer.Length <= _highWater || _writingPaused)
            return;
        _writingPaused = true;
        try
        {
            _protocol.PauseWriting();
        }
        catch (Exception error)
        {
            _loop.CallExceptionHandler(new ExceptionContext($"protocol.PauseWriting() failed (transport {this})", error));
        }
    }

    private void MaybeResumeProtocol()
    {
        if (!_writingPaused || _writeBuffer.Length > _lowWater)
            return;
        _writingPaused = false;
        try
        {
            _protocol.ResumeWriting();
        }
        catch (Exception error)
        {
            _loop.CallExceptionHandler(new ExceptionContext($"protocol.ResumeWriting() failed (transport {this})", error));
        }
    }
}

using System.Net.Sockets;

namespace Sim.Core;

internal sealed partial class SocketTransport
{
    // Writes dropped after the connection was lost before each one is logged (asyncio's
    // LOG_THRESHOLD_FOR_CONNLOST_WRITES): one stray write is normal, a stream of them is a bug.
    private const int LostWritesLoggedFrom = 5;

    private readonly ByteBuffer _writeBuffer = new();
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

    private void MaybePauseProtocol() => _flow.MaybePause(_writeBuffer.Length, _protocol);

    private void MaybeResumeProtocol() => _flow.MaybeResume(_writeBuffer.Length, _protocol);
}

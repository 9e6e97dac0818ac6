using System.Diagnostics;
using System.Runtime.CompilerServices;

namespace Sim.Core;

/// <summary>
/// asyncio's <c>StreamWriter</c>: a transport's writing side plus <see cref="Drain"/>, which waits
/// while the transport's buffer is above its high-water mark (real backpressure: a slow peer
/// holds the writer here).
/// </summary>
[DebuggerDisplay("{ToString(),nq}")]
public sealed class StreamWriter
{
    private readonly StreamReaderProtocol _protocol;
    private readonly StreamReader? _reader;

    /// <summary>A writer on <paramref name="transport"/>, whose <paramref name="protocol"/> reports
    /// flow control and the connection's end.</summary>
    public StreamWriter(ITransport transport, StreamReaderProtocol protocol, StreamReader? reader, EventLoop loop)
    {
        ArgumentNullException.ThrowIfNull(transport);
        ArgumentNullException.ThrowIfNull(protocol);
        ArgumentNullException.ThrowIfNull(loop);
        Transport = transport;
        _protocol = protocol;
        _reader = reader;
    }

    /// <summary>The transport written to.</summary>
    public ITransport Transport { get; }

    /// <summary>Writes (buffers what the network does not take); follow with <see cref="Drain"/>.</summary>
    public void Write(ReadOnlySpan<byte> data) => Transport.Write(data);

    /// <summary>Writes the chunks one after the other.</summary>
    public void WriteLines(IEnumerable<byte[]> lines) => Transport.WriteLines(lines);

    /// <summary>Shuts the sending side after the buffered bytes; reading goes on.</summary>
    public void WriteEof() => Transport.WriteEof();

    /// <summary>True when <see cref="WriteEof"/> is supported.</summary>
    public bool CanWriteEof() => Transport.CanWriteEof();

    /// <summary>Closes the transport (buffered bytes are still sent); await <see cref="WaitClosed"/> after.</summary>
    public void Close() => Transport.Close();

    /// <summary>True once closing or closed.</summary>
    public bool IsClosing() => Transport.IsClosing;

    /// <summary>Returns once the connection is lost; raises the error it was lost with, if any.</summary>
    public async Coroutine WaitClosed() => await _protocol.Closed;

    /// <summary>The transport's extra information (<c>"peername"</c>, <c>"sockname"</c>, ...).</summary>
    public object? GetExtraInfo(string name, object? defaultValue = null) => Transport.GetExtraInfo(name, defaultValue);

    /// <summary>
    /// Waits until it is fine to write again: at once below the high-water mark, else until the
    /// buffer drains to the low-water mark.
    /// </summary>
    /// <exception cref="System.Net.Sockets.SocketException">The connection was lost (ConnectionReset)
    /// or failed; the reader's error if it has one.</exception>
    /// <remarks>Its coroutine is pooled (<see cref="PoolingCoroutineMethodBuilder"/>): await each call's once.</remarks>
    [AsyncMethodBuilder(typeof(PoolingCoroutineMethodBuilder))]
    public async Coroutine Drain()
    {
        if (_reader?.Exception() is { } error)
            throw error;
        if (Transport.IsClosing)
        {
            // Let ConnectionLost run first, so a writer looping on write + drain sees the error.
            await Asyncio.Sleep(0);
        }
        if (_protocol.DrainReturnsAtOnce)
            return;
        await _protocol.DrainHelper();
    }

    /// <summary>asyncio's repr.</summary>
    public override string ToString() => $"<StreamWriter transport={Transport}{(_reader is null ? "" : $" reader={_reader}")}>";
}

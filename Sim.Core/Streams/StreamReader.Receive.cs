using System.Diagnostics;

namespace Sim.Core;

// Where a transport receives into (StreamReaderProtocol is a buffered protocol): straight into
// the buffer of a waiting ReadInto when it is large enough, else into a scratch buffer shared by
// the thread's readers, whose bytes are then fed as FeedData would feed them.
public sealed partial class StreamReader
{
    // Bytes received at a time into the scratch buffer: asyncio's max_size (256 KiB), what the
    // socket transport reads per callback for a protocol without a buffer of its own, so
    // received chunks are those DataReceived would get.
    private const int ReceiveSizeMax = 256 * 1024;

    /// <summary>A waiting <see cref="ReadInto"/> buffer at least this long is received into
    /// directly (the socket then gives at most its length at a time); a smaller one is filled by
    /// a copy, so a small buffer does not split a large transfer into as many small receives.</summary>
    internal const int DirectReceiveMin = 16 * 1024;

    // One per thread: filled by a receive and fed at once, before any other receive can start.
    [ThreadStatic]
    private static byte[]? s_receiveBuffer;

    // The wait whose ReadInto buffer the last GetReceiveBuffer handed out, until ReceiveUpdated.
    private Wait? _receivingInto;

    /// <summary>The receive buffer of a reader-less protocol: its bytes are dropped.</summary>
    internal static Memory<byte> ScratchReceiveBuffer() => s_receiveBuffer ??= new byte[ReceiveSizeMax];

    /// <summary>Where the transport's next receive goes: the buffer of the waiting
    /// <see cref="ReadInto"/> if it holds at least <see cref="DirectReceiveMin"/> bytes, else the
    /// thread's scratch buffer. <see cref="ReceiveUpdated"/> follows before any other call.</summary>
    internal Memory<byte> GetReceiveBuffer()
    {
        if (!_eof && _waiter is { Into.Length: >= DirectReceiveMin, Woken: false } wait)
        {
            _receivingInto = wait;
            return wait.Into;
        }
        _receivingInto = null;
        return ScratchReceiveBuffer();
    }

    /// <summary>The transport received <paramref name="count"/> bytes into the buffer
    /// <see cref="GetReceiveBuffer"/> returned: the waiting read gets them, or they are fed.</summary>
    /// <exception cref="InvalidOperationException">After <see cref="FeedEof"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException">More bytes than the buffer holds.</exception>
    internal void ReceiveUpdated(int count)
    {
        var into = _receivingInto;
        _receivingInto = null;
        var buffer = into is null ? ScratchReceiveBuffer() : into.Into;
        if (count > buffer.Length)
            throw new ArgumentOutOfRangeException(nameof(count), count, $"More bytes than the receive buffer holds ({buffer.Length})");
        if (into is null)
        {
            FeedData(buffer.Span[..count]);
            return;
        }
        if (_eof)
            throw new InvalidOperationException("feed_data after feed_eof");
        if (count == 0)
            return;
        Debug.Assert(_waiter == into && BufferedCount == 0, "nothing runs between a receive's two calls");
        into.Delivered = count;
        WakeupWaiter();
    }
}

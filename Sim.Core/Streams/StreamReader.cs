using System.Diagnostics;

namespace Sim.Core;

/// <summary>
/// asyncio's <c>StreamReader</c>: a buffer a protocol feeds (<see cref="FeedData"/>,
/// <see cref="FeedEof"/>) and one task reads from. The limit bounds a line (and a
/// <see cref="ReadUntil(byte[])"/> chunk); above twice the limit buffered, the transport stops
/// reading until the buffer is back under the limit, so a slow reader pushes back on the peer.
/// The read methods are in <c>StreamReader.Reads.cs</c>. Loop thread only.
/// </summary>
/// <remarks>The name clashes with <see cref="System.IO.StreamReader"/>: alias or qualify it.
/// The read methods' coroutines are pooled (<see cref="PoolingCoroutineMethodBuilder{T}"/>): await
/// each call's coroutine once, as a pooled <c>ValueTask</c>.</remarks>
[DebuggerDisplay("{ToString(),nq}")]
public sealed partial class StreamReader
{
    /// <summary>asyncio's default limit, 64 KiB: the longest line, and half the buffer above which
    /// reading pauses.</summary>
    public const int DefaultLimit = 64 * 1024;

    // The buffered bytes are the held chunk's unread part, then _buffer (the chunk is only held
    // while _buffer is empty, so the order is never in doubt).
    private readonly ByteBuffer _buffer = new();
    private readonly int _limit;
    // Bytes fed while nothing else was buffered, kept whole: Read(n) hands the array itself over
    // when n covers it, so a chunk is copied once (from the transport) instead of twice (into
    // the buffer, then out of it). Methods that need the bytes contiguous spill it first.
    // The chunk may also be the reader's receive array (see StreamReader.Receive.cs), which a
    // transport received into and which is never handed over: its bytes are copied out.
    private byte[]? _chunk;
    private int _chunkStart;
    private int _chunkEnd;
    // Set by Read(n), cleared by the reads that want contiguous bytes or their own buffer: only
    // a Read(n) reader gains from held chunks.
    private bool _holdChunks = true;
    private EventLoop? _loop;
    private bool _eof;
    // The read waiting for data, until FeedData, FeedEof or SetException wakes it.
    private Wait? _waiter;
    // The wait object reused by one read after the other (a read allocates no future).
    private Wait? _spareWait;

    // A ReadInto wait woken with bytes already in its caller's buffer, until its read resumes.
    // Until then nothing is delivered straight to another read: if that read is cancelled, its
    // bytes go back in front of the buffer, and whatever came after them must still follow them.
    private Wait? _deliveredTo;
    private Exception? _exception;
    private IReadTransport? _transport;
    private bool _paused;

    /// <summary>A reader with the given limit, on <paramref name="loop"/> (the running loop when null).</summary>
    /// <exception cref="ArgumentOutOfRangeException">The limit is not positive.</exception>
    public StreamReader(int limit = DefaultLimit, EventLoop? loop = null)
    {
        if (limit <= 0)
            throw new ArgumentOutOfRangeException(nameof(limit), limit, "Limit cannot be <= 0");
        _limit = limit;
        _loop = loop;
    }

    /// <summary>The line (and separator-chunk) limit.</summary>
    public int Limit => _limit;

    /// <summary>Bytes buffered and not yet read.</summary>
    public int BufferedCount => _buffer.Length + ChunkLength;

    /// <summary>The exception set by <see cref="SetException"/>, if any.</summary>
    public Exception? Exception() => _exception;

    /// <summary>Makes every later read (and the one waiting) raise <paramref name="exception"/>.</summary>
    public void SetException(Exception exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        _exception = exception;
        WakeupWaiter(exception);
    }

    /// <summary>The transport to pause and resume (set once, by the protocol feeding the reader).</summary>
    /// <exception cref="InvalidOperationException">A transport is already set.</exception>
    public void SetTransport(IReadTransport transport)
    {
        ArgumentNullException.ThrowIfNull(transport);
        if (_transport is not null)
            throw new InvalidOperationException("Transport already set");
        _transport = transport;
    }

    /// <summary>The end of the stream: reads return what is buffered, then nothing.</summary>
    public void FeedEof()
    {
        _eof = true;
        ReleaseReceiveArray();
        WakeupWaiter();
    }

    /// <summary>True once the buffer is empty and <see cref="FeedEof"/> was called.</summary>
    public bool AtEof() => _eof && BufferedCount == 0;

    /// <summary>Appends received bytes; pauses the transport above twice the limit.</summary>
    /// <exception cref="InvalidOperationException">After <see cref="FeedEof"/>.</exception>
    public void FeedData(ReadOnlySpan<byte> data)
    {
        if (_eof)
            throw new InvalidOperationException("feed_data after feed_eof");
        if (data.IsEmpty)
            return;
        if (_waiter is { Into.IsEmpty: false, Woken: false } && _deliveredTo is null)
        {
            data = DeliverToReadInto(_waiter, data);
            WakeupWaiter();
            if (data.IsEmpty)
                return;
        }
        if (_holdChunks && _chunk is null && _buffer.Length == 0)
        {
            _chunk = CopyOf(data);
            _chunkStart = 0;
            _chunkEnd = data.Length;
        }
        else
        {
            SpillChunk();
            _buffer.Append(data);
        }
        Fed();
    }

    /// <summary>After bytes were buffered: wakes the waiting read; pauses the transport above
    /// twice the limit.</summary>
    private void Fed()
    {
        WakeupWaiter();
        if (_transport is not null && !_paused && BufferedCount > 2 * _limit)
        {
            _transport.PauseReading();
            _paused = true;
        }
    }

    /// <summary>asyncio's repr: <c>&lt;StreamReader 12 bytes eof paused&gt;</c>.</summary>
    public override string ToString()
    {
        var info = new List<string> { "StreamReader" };
        if (BufferedCount > 0)
            info.Add($"{BufferedCount} bytes");
        if (_eof)
            info.Add("eof");
        if (_limit != DefaultLimit)
            info.Add($"limit={_limit}");
        if (_waiter is not null)
            info.Add("waiter");
        if (_exception is not null)
            info.Add($"exception={_exception.GetType().Name}");
        if (_paused)
            info.Add("paused");
        return $"<{string.Join(' ', info)}>";
    }

    private void MaybeResumeTransport()
    {
        if (_paused && BufferedCount <= _limit)
        {
            _paused = false;
            _transport!.ResumeReading();
        }
    }
}

using System.Runtime.CompilerServices;

namespace Sim.Core;

public sealed partial class StreamReader
{
    private static readonly byte[] s_newline = [(byte)'\n'];

    /// <summary>
    /// Up to <paramref name="count"/> bytes as soon as at least one is buffered (empty at the end
    /// of the stream); with -1, everything until the end of the stream.
    /// </summary>
    [AsyncMethodBuilder(typeof(PoolingCoroutineMethodBuilder<>))]
    public async Coroutine<byte[]> Read(int count = -1)
    {
        if (_exception is not null)
            throw _exception;
        if (count == 0)
            return [];
        if (count < 0)
        {
            // Read in blocks of the limit: waiting for the whole stream at once would pause the
            // transport above twice the limit and never be woken.
            var all = new ByteBuffer();
            while (true)
            {
                var block = await Read(_limit);
                if (block.Length == 0)
                    break;
                all.Append(block);
            }
            return all.Span.ToArray();
        }
        _holdChunks = true;
        if (BufferedCount == 0 && !_eof)
            await WaitForData("read", readCount: count);
        var data = Take(Math.Min(count, BufferedCount));
        MaybeResumeTransport();
        return data;
    }

    /// <summary>
    /// <see cref="Read(int)"/> into a buffer of the caller's: copies up to <c>buffer.Length</c>
    /// bytes into <paramref name="buffer"/> as soon as at least one is buffered and returns how
    /// many, 0 at the end of the stream (or for an empty buffer). Nothing is allocated, so a
    /// reader that reuses one buffer costs no garbage; a read waiting for data gets it copied
    /// straight from the transport. The buffer must not be touched until the read returns.
    /// </summary>
    [AsyncMethodBuilder(typeof(PoolingCoroutineMethodBuilder<>))]
    public async Coroutine<int> ReadInto(Memory<byte> buffer)
    {
        if (_exception is not null)
            throw _exception;
        if (buffer.IsEmpty)
            return 0;
        _holdChunks = false;
        if (BufferedCount == 0 && !_eof)
        {
            var delivered = await WaitForData("readinto", buffer);
            if (delivered > 0)
            {
                MaybeResumeTransport();
                return delivered;
            }
        }
        var count = CopyOut(buffer.Span);
        MaybeResumeTransport();
        return count;
    }

    /// <summary>Exactly <paramref name="count"/> bytes.</summary>
    /// <exception cref="IncompleteReadException">The stream ended first; what was read is in
    /// <see cref="IncompleteReadException.Partial"/>.</exception>
    [AsyncMethodBuilder(typeof(PoolingCoroutineMethodBuilder<>))]
    public async Coroutine<byte[]> ReadExactly(int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        if (_exception is not null)
            throw _exception;
        if (count == 0)
            return [];
        while (BufferedCount < count)
        {
            if (_eof)
            {
                var incomplete = Take(BufferedCount);
                throw new IncompleteReadException(incomplete, count);
            }
            await WaitForData("readexactly");
        }
        var data = Take(count);
        MaybeResumeTransport();
        return data;
    }

    /// <summary>
    /// One line, its <c>\n</c> included; at the end of the stream the last partial line without
    /// it, then empty arrays.
    /// </summary>
    /// <exception cref="LimitOverrunException">The line is longer than the limit; it is dropped
    /// (up to its newline if there is one), as asyncio does before raising <c>ValueError</c>.</exception>
    [AsyncMethodBuilder(typeof(PoolingCoroutineMethodBuilder<>))]
    public async Coroutine<byte[]> ReadLine()
    {
        try
        {
            return await ReadUntil(s_newline);
        }
        catch (IncompleteReadException incomplete)
        {
            return incomplete.Partial;
        }
        catch (LimitOverrunException overrun)
        {
            SpillChunk();
            var span = _buffer.Span;
            if (overrun.Consumed < span.Length && span[overrun.Consumed] == (byte)'\n')
                _buffer.Consume(overrun.Consumed + 1);
            else
                _buffer.Clear();
            MaybeResumeTransport();
            throw new LimitOverrunException(overrun.Message, overrun.Consumed);
        }
    }

    /// <summary>Everything up to and including <c>\n</c>.</summary>
    public Coroutine<byte[]> ReadUntil() => ReadUntil(s_newline);

    /// <summary>Everything up to and including <paramref name="separator"/>.</summary>
    /// <exception cref="IncompleteReadException">The stream ended first; the buffer is emptied
    /// into <see cref="IncompleteReadException.Partial"/>.</exception>
    /// <exception cref="LimitOverrunException">The chunk before the separator would exceed the
    /// limit; the data stays buffered.</exception>
    [AsyncMethodBuilder(typeof(PoolingCoroutineMethodBuilder<>))]
    public async Coroutine<byte[]> ReadUntil(byte[] separator)
    {
        ArgumentNullException.ThrowIfNull(separator);
        var separatorLength = separator.Length;
        if (separatorLength == 0)
            throw new ArgumentException("Separator should be at least one-byte string", nameof(separator));
        if (_exception is not null)
            throw _exception;
        _holdChunks = false;
        // Bytes from the start of the buffer known not to hold the start of a separator.
        var offset = 0;
        int found;
        while (true)
        {
            SpillChunk();
            var length = _buffer.Length;
            if (length - offset >= separatorLength)
            {
                var at = _buffer.Span[offset..].IndexOf(separator);
                if (at != -1)
                {
                    found = offset + at;
                    break;
                }
                offset = length + 1 - separatorLength;
                if (offset > _limit)
                    throw new LimitOverrunException("Separator is not found, and chunk exceed the limit", offset);
            }
            // The last chunk may complete a separator even with EOF set: look before giving up.
            if (_eof)
            {
                var chunk = _buffer.Take(_buffer.Length);
                throw new IncompleteReadException(chunk, null);
            }
            await WaitForData("readuntil");
        }
        if (found > _limit)
            throw new LimitOverrunException("Separator is found, but chunk is longer than limit", found);
        var data = _buffer.Take(found + separatorLength);
        MaybeResumeTransport();
        return data;
    }
}

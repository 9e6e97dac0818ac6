using System.Diagnostics;

namespace Sim.Core;

// Where the buffered bytes live: the held chunk, the contiguous buffer, or straight in the
// buffer of a waiting ReadInto.
public sealed partial class StreamReader
{
    private int ChunkLength => _chunk is null ? 0 : _chunkEnd - _chunkStart;

    /// <summary>Moves the held chunk's unread bytes into the buffer, for the reads that search or
    /// slice contiguous bytes.</summary>
    private void SpillChunk()
    {
        if (_chunk is null)
            return;
        Debug.Assert(_buffer.Length == 0, "a chunk is held only while the buffer is empty");
        _buffer.Append(_chunk.AsSpan(_chunkStart, _chunkEnd - _chunkStart));
        DropChunk();
    }

    private void DropChunk()
    {
        // The receive array goes back to the pool as soon as its bytes are all read: a
        // connection at rest holds none.
        if (_chunk is not null && _chunk == _receiveArray.Array)
            ReturnReceiveArray();
        _chunk = null;
        _chunkStart = 0;
        _chunkEnd = 0;
    }

    /// <summary>Removes and returns the first <paramref name="count"/> buffered bytes (at most
    /// <see cref="BufferedCount"/>): the held chunk itself when it is exactly what is asked for
    /// (and not the receive array, which stays the reader's).</summary>
    private byte[] Take(int count)
    {
        Debug.Assert(count >= 0 && count <= BufferedCount, "taking more than is buffered");
        if (_chunk is not { } chunk)
            return _buffer.Take(count);
        var available = _chunkEnd - _chunkStart;
        if (count == available && _chunkStart == 0 && _chunkEnd == chunk.Length && chunk != _receiveArray.Array)
        {
            DropChunk();
            return chunk;
        }
        var taken = CopyOf(chunk.AsSpan(_chunkStart, count));
        if (count == available)
            DropChunk();
        else
            _chunkStart += count;
        return taken;
    }

    /// <summary>A new array holding <paramref name="data"/> (not zeroed first: it is overwritten at once).</summary>
    private static byte[] CopyOf(ReadOnlySpan<byte> data)
    {
        var copy = GC.AllocateUninitializedArray<byte>(data.Length);
        data.CopyTo(copy);
        return copy;
    }

    /// <summary>Copies buffered bytes into <paramref name="destination"/> (as many as fit) and
    /// drops them; returns how many.</summary>
    private int CopyOut(Span<byte> destination)
    {
        var count = Math.Min(destination.Length, BufferedCount);
        if (_chunk is { } chunk)
        {
            chunk.AsSpan(_chunkStart, count).CopyTo(destination);
            _chunkStart += count;
            if (_chunkStart == _chunkEnd)
                DropChunk();
        }
        else
        {
            _buffer.Span[..count].CopyTo(destination);
            _buffer.Consume(count);
        }
        return count;
    }

    /// <summary>Fills the waiting <see cref="ReadInto"/>'s buffer from <paramref name="data"/>
    /// (nothing else is buffered while a read waits); returns what did not fit.</summary>
    private ReadOnlySpan<byte> DeliverToReadInto(Wait wait, ReadOnlySpan<byte> data)
    {
        Debug.Assert(BufferedCount == 0 && wait.Delivered == 0, "a read waits only on an empty buffer");
        var count = Math.Min(data.Length, wait.Into.Length);
        data[..count].CopyTo(wait.Into.Span);
        wait.Delivered = count;
        _deliveredTo = wait;
        return data[count..];
    }

    /// <summary>Puts <paramref name="data"/> back in front of what is buffered.</summary>
    private void Unread(ReadOnlySpan<byte> data)
    {
        var rest = Take(BufferedCount);
        _buffer.Append(data);
        _buffer.Append(rest);
    }
}

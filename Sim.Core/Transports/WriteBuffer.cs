using System.Buffers;
using System.Diagnostics;

namespace Sim.Core;

/// <summary>
/// A stream transport's write buffer: a FIFO of bytes kept in pooled chunks (libuv's write queue,
/// Pipelines' segments), handed to the socket as a list of segments in one vectored send. Appending
/// never moves what is already buffered, and an empty buffer holds no memory, so an idle connection
/// costs nothing here.
/// </summary>
[DebuggerDisplay("{Length} bytes in {_count} chunks")]
internal sealed class WriteBuffer
{
    // A chunk is at least this big, so that a burst of small writes shares a few chunks.
    private const int ChunkSizeMin = 4 * 1024;

    // And at most this big: a huge write is split rather than held in one array outside the pool's sizes.
    private const int ChunkSizeMax = 1024 * 1024;

    private Chunk[] _chunks = [];
    private int _head;      // index of the oldest chunk in the ring
    private int _count;     // chunks in use
    private int _headStart; // bytes of the oldest chunk already consumed

    /// <summary>Bytes held.</summary>
    public int Length { get; private set; }

    /// <summary>Chunks holding the bytes: how many segments a send of everything takes.</summary>
    public int SegmentCount => _count;

    /// <summary>The bytes of the oldest chunk not yet consumed; valid until the next change.</summary>
    public ReadOnlySpan<byte> First => _count == 0 ? default : _chunks[_head].Array.AsSpan(_headStart, _chunks[_head].End - _headStart);

    /// <summary>Appends a copy of <paramref name="data"/>.</summary>
    public void Append(ReadOnlySpan<byte> data)
    {
        while (!data.IsEmpty)
        {
            if (_count == 0 || Last.End == Last.Array.Length)
                AddChunk(data.Length);
            ref var last = ref Last;
            var copied = Math.Min(data.Length, last.Array.Length - last.End);
            data[..copied].CopyTo(last.Array.AsSpan(last.End));
            last.End += copied;
            Length += copied;
            data = data[copied..];
        }
        AssertInvariants();
    }

    /// <summary>Fills <paramref name="segments"/> with the buffered bytes, oldest first: the number
    /// of segments filled (all the chunks, or as many as fit). Valid until the next change.</summary>
    public int GetSegments(Span<ReadOnlyMemory<byte>> segments)
    {
        var filled = Math.Min(segments.Length, _count);
        for (var i = 0; i < filled; i++)
        {
            ref var chunk = ref _chunks[(_head + i) % _chunks.Length];
            var start = i == 0 ? _headStart : 0;
            segments[i] = chunk.Array.AsMemory(start, chunk.End - start);
        }
        return filled;
    }

    /// <summary>Drops the first <paramref name="count"/> bytes; emptied chunks go back to the pool.</summary>
    public void Consume(int count)
    {
        Debug.Assert(count >= 0 && count <= Length, "consuming more than is buffered");
        Length -= count;
        while (count > 0)
        {
            ref var first = ref _chunks[_head];
            var available = first.End - _headStart;
            if (count < available)
            {
                _headStart += count;
                break;
            }
            count -= available;
            RemoveFirst();
        }
        AssertInvariants();
    }

    /// <summary>Drops everything.</summary>
    public void Clear()
    {
        while (_count > 0)
            RemoveFirst();
        Length = 0;
    }

    private ref Chunk Last => ref _chunks[(_head + _count - 1) % _chunks.Length];

    private void AddChunk(int wanted)
    {
        if (_count == _chunks.Length)
            GrowRing();
        var size = Math.Clamp(wanted, ChunkSizeMin, ChunkSizeMax);
        _chunks[(_head + _count) % _chunks.Length] = new Chunk { Array = ArrayPool<byte>.Shared.Rent(size) };
        _count++;
    }

    private void RemoveFirst()
    {
        ArrayPool<byte>.Shared.Return(_chunks[_head].Array);
        _chunks[_head] = default;
        _head = (_head + 1) % _chunks.Length;
        _count--;
        _headStart = 0;
        if (_count == 0)
            _head = 0;
    }

    private void GrowRing()
    {
        var grown = new Chunk[Math.Max(4, _chunks.Length * 2)];
        for (var i = 0; i < _count; i++)
            grown[i] = _chunks[(_head + i) % _chunks.Length];
        _chunks = grown;
        _head = 0;
    }

    [Conditional("DEBUG")]
    private void AssertInvariants()
    {
        var total = 0;
        for (var i = 0; i < _count; i++)
            total += _chunks[(_head + i) % _chunks.Length].End - (i == 0 ? _headStart : 0);
        Debug.Assert(total == Length, "the chunks hold exactly Length bytes");
        Debug.Assert(_count > 0 || (Length == 0 && _headStart == 0), "an empty buffer holds no chunk");
        Debug.Assert(_count == 0 || _headStart < _chunks[_head].End, "the oldest chunk has bytes left");
    }

    private struct Chunk
    {
        public byte[] Array;
        public int End;
    }
}

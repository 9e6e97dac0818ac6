using System.Diagnostics;

namespace Sim.Core;

/// <summary>
/// A growable FIFO of bytes kept contiguous (consumed bytes are dropped from the front, the rest
/// is compacted when room is needed): the write buffer of transports and the buffer of stream
/// readers. Contiguity makes searching for a separator one <c>IndexOf</c>.
/// </summary>
[DebuggerDisplay("{Length} bytes")]
internal sealed class ByteBuffer
{
    // Small enough that an idle connection costs little, large enough for typical messages.
    private const int InitialCapacity = 256;

    private byte[] _array = [];
    private int _start;
    private int _end;

    /// <summary>Bytes held.</summary>
    public int Length => _end - _start;

    /// <summary>The bytes held, oldest first; valid until the next change.</summary>
    public ReadOnlySpan<byte> Span => _array.AsSpan(_start, _end - _start);

    /// <summary>Appends a copy of <paramref name="data"/>.</summary>
    public void Append(ReadOnlySpan<byte> data)
    {
        if (data.IsEmpty)
            return;
        EnsureRoom(data.Length);
        data.CopyTo(_array.AsSpan(_end));
        _end += data.Length;
    }

    /// <summary>Drops the first <paramref name="count"/> bytes.</summary>
    public void Consume(int count)
    {
        Debug.Assert(count >= 0 && count <= Length, "consuming more than is buffered");
        _start += count;
        if (_start == _end)
            _start = _end = 0;
    }

    /// <summary>Removes and returns the first <paramref name="count"/> bytes.</summary>
    public byte[] Take(int count)
    {
        // Not zeroed first: every byte is overwritten at once.
        var taken = GC.AllocateUninitializedArray<byte>(count);
        Span[..count].CopyTo(taken);
        Consume(count);
        return taken;
    }

    /// <summary>Drops everything.</summary>
    public void Clear() => _start = _end = 0;

    private void EnsureRoom(int extra)
    {
        if (_array.Length - _end >= extra)
            return;
        var length = Length;
        if (_array.Length - length >= extra && _start >= length)
        {
            // Enough room once compacted, and the copy is at most as big as what was consumed.
            _array.AsSpan(_start, length).CopyTo(_array);
        }
        else
        {
            var capacity = Math.Max(InitialCapacity, _array.Length);
            while (capacity - length < extra)
                capacity = checked(capacity * 2);
            var grown = new byte[capacity];
            _array.AsSpan(_start, length).CopyTo(grown);
            _array = grown;
        }
        _start = 0;
        _end = length;
    }
}

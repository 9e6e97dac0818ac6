using System.Diagnostics;

namespace Sim.Core;

/// <summary>
/// The FIFO of callbacks ready to run: a power-of-two ring of structs, so scheduling a callback
/// allocates nothing. Every entry gets the next sequence number; a <see cref="Handle"/> finds
/// its entry by that number while it is still queued.
/// </summary>
internal sealed class ReadyQueue : ICancellable
{
    // Enough for a busy iteration without growing; the ring doubles when it fills.
    private const int InitialCapacity = 256;

    private Callback[] _entries = new Callback[InitialCapacity];
    private bool[] _cancelled = new bool[InitialCapacity];
    private int _cancelledCount;
    private int _head;
    private int _count;
    private long _headSequence;

    public int Count => _count;

    /// <summary>The handle of the entry <see cref="TryDequeue"/> last removed (for error reports).</summary>
    public Handle LastDequeued => new(this, _headSequence - 1);

    public Handle Enqueue(in Callback callback)
    {
        if (_count == _entries.Length)
            Grow();
        _entries[(_head + _count) & (_entries.Length - 1)] = callback;
        return new Handle(this, _headSequence + _count++);
    }

    /// <summary>Removes the oldest entry; false when it was cancelled and must not run.</summary>
    public bool TryDequeue(out Callback callback)
    {
        Debug.Assert(_count > 0, "dequeue from an empty ready queue");
        ref var slot = ref _entries[_head];
        callback = slot;
        slot = default;
        var runnable = true;
        if (_cancelledCount > 0 && _cancelled[_head])
        {
            _cancelled[_head] = false;
            _cancelledCount--;
            runnable = false;
        }
        _head = (_head + 1) & (_entries.Length - 1);
        _count--;
        _headSequence++;
        return runnable;
    }

    public void Clear()
    {
        while (_count > 0)
            TryDequeue(out _);
    }

    public void Cancel(long sequence)
    {
        if (TryFind(sequence, out var index) && !_cancelled[index])
        {
            _cancelled[index] = true;
            _cancelledCount++;
        }
    }

    public bool IsCancelled(long sequence) => TryFind(sequence, out var index) && _cancelled[index];

    private bool TryFind(long sequence, out int index)
    {
        var offset = sequence - _headSequence;
        index = (int)((_head + offset) & (_entries.Length - 1));
        return offset >= 0 && offset < _count;
    }

    private void Grow()
    {
        var entries = new Callback[_entries.Length * 2];
        var cancelled = new bool[_entries.Length * 2];
        for (var i = 0; i < _count; i++)
        {
            var from = (_head + i) & (_entries.Length - 1);
            entries[i] = _entries[from];
            cancelled[i] = _cancelled[from];
        }
        _entries = entries;
        _cancelled = cancelled;
        _head = 0;
    }
}

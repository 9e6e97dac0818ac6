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

    private Entry[] _entries = new Entry[InitialCapacity];
    private int _head;
    private int _count;
    private long _headSequence;

    public int Count => _count;

    public Handle Enqueue(in Callback callback) => new(this, Add(new Entry(callback, null)));

    public void EnqueueTimer(TimerHandle timer) => Add(new Entry(default, timer));

    /// <summary>Removes the oldest entry; false when it was cancelled and must not run.</summary>
    public bool TryDequeue(out Callback callback, out TimerHandle? timer)
    {
        Debug.Assert(_count > 0, "dequeue from an empty ready queue");
        ref var slot = ref _entries[_head];
        callback = slot.Callback;
        timer = slot.Timer;
        var cancelled = slot.Cancelled;
        slot = default;
        _head = (_head + 1) & (_entries.Length - 1);
        _count--;
        _headSequence++;
        return !cancelled;
    }

    public void Clear()
    {
        while (_count > 0)
            TryDequeue(out _, out _);
    }

    public void Cancel(long sequence)
    {
        if (TryFind(sequence, out var index))
            _entries[index] = _entries[index] with { Cancelled = true, Callback = default };
    }

    public bool IsCancelled(long sequence) => TryFind(sequence, out var index) && _entries[index].Cancelled;

    private bool TryFind(long sequence, out int index)
    {
        var offset = sequence - _headSequence;
        index = (int)((_head + offset) & (_entries.Length - 1));
        return offset >= 0 && offset < _count;
    }

    private long Add(in Entry entry)
    {
        if (_count == _entries.Length)
            Grow();
        _entries[(_head + _count) & (_entries.Length - 1)] = entry;
        return _headSequence + _count++;
    }

    private void Grow()
    {
        var larger = new Entry[_entries.Length * 2];
        for (var i = 0; i < _count; i++)
            larger[i] = _entries[(_head + i) & (_entries.Length - 1)];
        _entries = larger;
        _head = 0;
    }

    private readonly record struct Entry(Callback Callback, TimerHandle? Timer, bool Cancelled = false);
}

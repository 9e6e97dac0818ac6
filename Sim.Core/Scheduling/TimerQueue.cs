using System.Diagnostics;

namespace Sim.Core;

/// <summary>
/// The loop's timers: a binary min-heap on (deadline, sequence), a total order. Cancelled timers
/// stay in the heap until they reach the top or until more than half the heap is cancelled,
/// when it is rebuilt (asyncio's rule), so <see cref="TimerHandle.Cancel"/> is O(1).
/// </summary>
internal sealed class TimerQueue
{
    // asyncio's thresholds: rebuilding a small heap is not worth it, and rebuilding when at
    // least half is dead keeps the amortised cost per cancellation constant.
    private const int PruneMinimumCount = 100;
    private const int PruneCancelledFraction = 2;

    private Slot[] _slots = new Slot[64];
    private int _count;

    public int Count => _count;

    public int CancelledCount { get; private set; }

    public void Push(TimerHandle timer)
    {
        if (_count == _slots.Length)
            Array.Resize(ref _slots, _slots.Length * 2);
        timer.InHeap = true;
        _slots[_count] = new Slot(timer.WhenNs, timer.Sequence, timer);
        SiftUp(_count++);
    }

    public TimerHandle Peek() => _slots[0].Timer;

    public TimerHandle Pop()
    {
        Debug.Assert(_count > 0, "pop from an empty timer heap");
        var top = _slots[0].Timer;
        _count--;
        _slots[0] = _slots[_count];
        _slots[_count] = default;
        if (_count > 0)
            SiftDown(0);
        top.InHeap = false;
        if (top.Cancelled)
            CancelledCount--;
        return top;
    }

    public void OnCancelled() => CancelledCount++;

    /// <summary>Phase 1: drops cancelled timers, rebuilding the heap when most are cancelled.</summary>
    public void DropCancelled()
    {
        if (_count > PruneMinimumCount && CancelledCount * PruneCancelledFraction > _count)
        {
            Rebuild();
            return;
        }
        while (_count > 0 && _slots[0].Timer.Cancelled)
            Pop();
    }

    public void Clear()
    {
        for (var i = 0; i < _count; i++)
            _slots[i].Timer.InHeap = false;
        Array.Clear(_slots, 0, _count);
        _count = 0;
        CancelledCount = 0;
    }

    private void Rebuild()
    {
        var kept = 0;
        for (var i = 0; i < _count; i++)
        {
            var slot = _slots[i];
            if (slot.Timer.Cancelled)
                slot.Timer.InHeap = false;
            else
                _slots[kept++] = slot;
        }
        Array.Clear(_slots, kept, _count - kept);
        _count = kept;
        CancelledCount = 0;
        for (var i = _count / 2 - 1; i >= 0; i--)
            SiftDown(i);
    }

    private void SiftUp(int index)
    {
        var slot = _slots[index];
        while (index > 0)
        {
            var parent = (index - 1) / 2;
            if (!slot.Precedes(_slots[parent]))
                break;
            _slots[index] = _slots[parent];
            index = parent;
        }
        _slots[index] = slot;
    }

    private void SiftDown(int index)
    {
        var slot = _slots[index];
        while (true)
        {
            var child = 2 * index + 1;
            if (child >= _count)
                break;
            if (child + 1 < _count && _slots[child + 1].Precedes(_slots[child]))
                child++;
            if (!_slots[child].Precedes(slot))
                break;
            _slots[index] = _slots[child];
            index = child;
        }
        _slots[index] = slot;
    }

    /// <summary>The key is copied into the slot so comparisons never touch the handle.</summary>
    private readonly record struct Slot(long WhenNs, long Sequence, TimerHandle Timer)
    {
        public bool Precedes(in Slot other) =>
            WhenNs < other.WhenNs || (WhenNs == other.WhenNs && Sequence < other.Sequence);
    }
}

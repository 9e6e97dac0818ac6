using System.Diagnostics;

namespace Sim.Core;

/// <summary>
/// The loop's timers: a 4-ary min-heap on (deadline, sequence), a total order, whose nodes hold
/// the callbacks themselves, so a timer costs no allocation and popping touches nothing but the
/// heap. Each timer in the heap has an id (a slot in small side arrays) through which its
/// <see cref="TimerHandle"/> cancels it in O(1); cancelled timers stay in the heap until they
/// reach the top or until more than half the heap is cancelled, when it is rebuilt (asyncio's rule).
/// Timers already due when scheduled skip the heap and the slots: they form the overdue batch
/// (TimerQueue.Overdue.cs). Phase 4 turns the due timers into the due list, which phase 5 runs
/// after the callbacks that were ready before it (TimerQueue.Due.cs).
/// </summary>
/// <remarks>
/// A heap timer's id lives from <see cref="Push"/> until the loop has run or dropped it: while it
/// waits in the heap and then in the due list (where it can still be cancelled). Then the id is
/// released and its version bumped, so an old handle can no longer reach its slot.
/// </remarks>
internal sealed partial class TimerQueue
{
    // asyncio's thresholds: rebuilding a small heap is not worth it, and rebuilding when at
    // least half is dead keeps the amortised cost per cancellation constant.
    private const int PruneMinimumCount = 100;
    private const int PruneCancelledFraction = 2;

    // Four children a node: half the depth of a binary heap, and the children sit together.
    private const int Arity = 4;

    private Node[] _heap = new Node[64];

    private int _count;
    private long _sequence;

    /// <summary>Timers waiting, in the heap or already overdue.</summary>
    public int Count => _count + _overdueCount;

    /// <summary>Cancelled timers still in the heap.</summary>
    public int CancelledCount { get; private set; }

    /// <summary>The earliest deadline (long.MinValue / 2 when a timer is already overdue).</summary>
    public long PeekWhenNs() => _overdueCount > 0 ? long.MinValue / 2 : _heap[0].WhenNs;

    /// <summary>Schedules a timer; one due before <paramref name="dueBeforeNs"/> (now plus the
    /// clock's resolution) will be due at the next phase 4 whatever happens, so it skips the heap.</summary>
    public TimerHandle Push(long whenNs, in Callback callback, long dueBeforeNs)
    {
        if (whenNs < dueBeforeNs)
            return PushOverdue(whenNs, callback);
        var id = AllocateId();
        ref var slot = ref _slots[id];
        slot.WhenNs = whenNs;
        slot.State = TimerState.InHeap;
        slot.Callback = callback.ForTimer(id);
        if (_count == _heap.Length)
            Array.Resize(ref _heap, _heap.Length * 2);
        SiftUp(_count++, new Node(whenNs, _sequence++, id));
        return new TimerHandle(this, id, slot.Version, whenNs);
    }

    /// <summary>Cancels the timer of a handle, if the queue still holds it.</summary>
    public void Cancel(int id, int version, long whenNs)
    {
        if (id > 0)
            CancelInHeap(id, version);
        else if (id < 0)
            CancelOverdue(OverdueIndexOf(id), version, whenNs);
    }

    /// <summary>True when the handle's timer was cancelled and the queue still holds it.</summary>
    public bool IsCancelled(int id, int version, long whenNs) =>
        id > 0 ? IsCancelledInHeap(id, version)
        : id < 0 && IsCancelledOverdue(OverdueIndexOf(id), version, whenNs);

    /// <summary>Phase 1: drops cancelled timers, rebuilding the heap when most are cancelled.</summary>
    public void DropCancelled()
    {
        if (CancelledCount == 0)
            return;
        if (_count > PruneMinimumCount && CancelledCount * PruneCancelledFraction > _count)
        {
            Rebuild();
            return;
        }
        while (_count > 0 && _slots[_heap[0].Id].Cancelled)
        {
            var id = PopTop().Id;
            CancelledCount--;
            Release(id);
        }
    }

    /// <summary>Forgets every timer (the loop is closing); old handles become inert.</summary>
    public void Clear()
    {
        Array.Clear(_heap, 0, _count);
        _count = 0;
        CancelledCount = 0;
        ClearOverdue();
        ClearDue();
        for (var id = 1; id < _nextId; id++)
        {
            if (_slots[id].State != TimerState.Free)
                Release(id);
        }
    }

    private Node PopTop()
    {
        Debug.Assert(_count > 0, "pop from an empty timer heap");
        var top = _heap[0];
        var last = _heap[--_count];
        _heap[_count] = default;
        if (_count > 0)
            SiftDown(0, last);
        return top;
    }

    private void Rebuild()
    {
        var kept = 0;
        for (var i = 0; i < _count; i++)
        {
            var id = _heap[i].Id;
            if (_slots[id].Cancelled)
                Release(id);
            else
                _heap[kept++] = _heap[i];
        }
        Array.Clear(_heap, kept, _count - kept);
        _count = kept;
        CancelledCount = 0;
        for (var i = (_count - 2) / Arity; i >= 0; i--)
            SiftDown(i, _heap[i]);
    }

    private void SiftUp(int index, Node node)
    {
        while (index > 0)
        {
            var parent = (index - 1) / Arity;
            if (!node.Precedes(_heap[parent]))
                break;
            _heap[index] = _heap[parent];
            index = parent;
        }
        _heap[index] = node;
    }

    private void SiftDown(int index, Node node)
    {
        while (true)
        {
            var first = index * Arity + 1;
            if (first >= _count)
                break;
            var best = first;
            var last = Math.Min(first + Arity, _count);
            for (var child = first + 1; child < last; child++)
            {
                if (_heap[child].Precedes(_heap[best]))
                    best = child;
            }
            if (!_heap[best].Precedes(node))
                break;
            _heap[index] = _heap[best];
            index = best;
        }
        _heap[index] = node;
    }

    /// <summary>A heap node: the key and the timer id (the callback waits in the id's slot).</summary>
    private readonly record struct Node(long WhenNs, long Sequence, int Id)
    {
        public bool Precedes(in Node other) =>
            WhenNs < other.WhenNs || (WhenNs == other.WhenNs && Sequence < other.Sequence);
    }

    private readonly struct NodeOrder : IComparer<Node>
    {
        public int Compare(Node x, Node y) => x.Precedes(y) ? -1 : y.Precedes(x) ? 1 : 0;
    }

    /// <summary>A timer due in this iteration, or overdue: its deadline and callback (whose
    /// <see cref="Callback.TimerId"/> says whether it is a heap timer or an overdue one).</summary>
    private readonly record struct DueTimer(long WhenNs, Callback Callback);
}

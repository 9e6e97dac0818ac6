using System.Buffers;
using System.Diagnostics;
using System.Numerics;

namespace Sim.Core;

/// <summary>
/// The loop's timers: a 4-ary min-heap on (deadline, sequence), a total order, whose nodes hold
/// the callbacks themselves, so a timer costs no allocation and popping touches nothing but the
/// heap. Each timer has an id (a slot in small side arrays) through which its
/// <see cref="TimerHandle"/> cancels it in O(1); cancelled timers stay in the heap until they
/// reach the top or until more than half the heap is cancelled, when it is rebuilt (asyncio's rule).
/// </summary>
/// <remarks>
/// A timer's id lives from <see cref="Push"/> until the loop has run or dropped it: while it
/// waits in the heap and then in the ready queue (where it can still be cancelled). Then the id is
/// released and its version bumped, so an old handle can no longer reach its slot.
/// </remarks>
internal sealed class TimerQueue
{
    // asyncio's thresholds: rebuilding a small heap is not worth it, and rebuilding when at
    // least half is dead keeps the amortised cost per cancellation constant.
    private const int PruneMinimumCount = 100;
    private const int PruneCancelledFraction = 2;

    // Four children a node: half the depth of a binary heap, and the children sit together.
    private const int Arity = 4;

    // When at least this many timers, and at least 1/BulkShare of the heap, are due in one
    // phase, the rest are taken out with one partition and one sort instead of a pop each: a
    // pop costs cache misses all the way down a large heap, a sort scans memory in order. The
    // share bounds the partition's cost to BulkShare reads per timer it moves.
    private const int BulkMinimum = 64;
    private const int BulkShare = 64;

    private Node[] _heap = new Node[64];
    private Node[] _bulk = [];

    // Timers already due when scheduled (call_later(0), call_at in the past) skip the heap: they
    // wait here in scheduling order and join phase 4 through a stable sort on the deadline.
    private Node[] _overdue = new Node[16];
    private int _overdueCount;
    private int _count;
    private long _sequence;

    // Per timer id (index 0 unused: TimerId 0 means "not a timer"), everything in one struct so
    // that touching a timer's state costs one cache line.
    private Slot[] _slots = new Slot[64];
    private int[] _freeIds = new int[64];
    private int _freeCount;
    private int _nextId = 1;

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
        var id = AllocateId();
        ref var slot = ref _slots[id];
        slot.WhenNs = whenNs;
        var node = new Node(whenNs, _sequence++, callback.ForTimer(id));
        if (whenNs < dueBeforeNs)
        {
            slot.State = TimerState.Overdue;
            if (_overdueCount == _overdue.Length)
                Array.Resize(ref _overdue, _overdue.Length * 2);
            _overdue[_overdueCount++] = node;
        }
        else
        {
            slot.State = TimerState.InHeap;
            if (_count == _heap.Length)
                Array.Resize(ref _heap, _heap.Length * 2);
            SiftUp(_count++, node);
        }
        return new TimerHandle(this, id, slot.Version, whenNs);
    }

    /// <summary>Phase 4: moves every timer due before <paramref name="endNs"/> to the ready queue, in order.</summary>
    public void MoveDue(long endNs, ReadyQueue ready)
    {
        if (_overdueCount > 0)
            MoveOverdue(endNs, ready);
        MoveDueFromHeap(endNs, ready);
    }

    /// <summary>
    /// The overdue timers, merged with the heap's due ones in (deadline, sequence) order. They
    /// were appended in sequence order, so a stable sort on the deadline alone orders them.
    /// </summary>
    private void MoveOverdue(long endNs, ReadyQueue ready)
    {
        var overdue = _overdue.AsSpan(0, _overdueCount);
        var order = ArrayPool<int>.Shared.Rent(overdue.Length);
        try
        {
            SortStablyByDeadline(overdue, order.AsSpan(0, overdue.Length));
            for (var i = 0; i < overdue.Length;)
            {
                ref readonly var next = ref overdue[order[i]];
                if (_count > 0 && _heap[0].WhenNs < endNs && _heap[0].Precedes(next))
                {
                    MoveToReady(PopTop(), ready);
                    continue;
                }
                // An overdue timer's slot says Overdue, which Cancel treats like Ready: no need to
                // touch it here; a cancellation is seen when its turn comes in phase 5.
                ready.Enqueue(next.Callback);
                i++;
            }
        }
        finally
        {
            ArrayPool<int>.Shared.Return(order);
        }
        overdue.Clear();
        _overdueCount = 0;
    }

    private static void SortStablyByDeadline(ReadOnlySpan<Node> nodes, Span<int> order)
    {
        var minWhen = long.MaxValue;
        foreach (ref readonly var node in nodes)
            minWhen = Math.Min(minWhen, node.WhenNs);
        var keys = ArrayPool<ulong>.Shared.Rent(nodes.Length);
        try
        {
            for (var i = 0; i < nodes.Length; i++)
            {
                keys[i] = (ulong)(nodes[i].WhenNs - minWhen);
                order[i] = i;
            }
            RadixSort.Sort(keys.AsSpan(0, nodes.Length), order);
        }
        finally
        {
            ArrayPool<ulong>.Shared.Return(keys);
        }
    }

    private void MoveDueFromHeap(long endNs, ReadyQueue ready)
    {
        var moved = 0;
        while (_count > 0 && _heap[0].WhenNs < endNs)
        {
            if (++moved >= BulkMinimum && moved * BulkShare >= _count)
            {
                MoveDueInBulk(endNs, ready);
                return;
            }
            MoveToReady(PopTop(), ready);
        }
    }

    /// <summary>The same as popping every due timer, in the same (deadline, sequence) order.</summary>
    private void MoveDueInBulk(long endNs, ReadyQueue ready)
    {
        if (_bulk.Length < _count)
            _bulk = new Node[_count];
        var due = 0;
        var kept = 0;
        for (var i = 0; i < _count; i++)
        {
            if (_heap[i].WhenNs < endNs)
                _bulk[due++] = _heap[i];
            else
                _heap[kept++] = _heap[i];
        }
        Array.Clear(_heap, kept, _count - kept);
        _count = kept;
        for (var i = (_count - 2) / Arity; i >= 0; i--)
            SiftDown(i, _heap[i]);
        var dueNodes = _bulk.AsSpan(0, due);
        if (!TryMoveInRadixOrder(dueNodes, ready))
        {
            dueNodes.Sort(default(NodeOrder));
            foreach (ref readonly var node in dueNodes)
                MoveToReady(node.Callback, ready);
        }
        dueNodes.Clear();
    }

    /// <summary>
    /// Orders the due nodes by one 64-bit key, (deadline - earliest) above (sequence - lowest),
    /// when both spans fit together in 64 bits (almost always), and moves them in that order.
    /// </summary>
    private bool TryMoveInRadixOrder(Span<Node> nodes, ReadyQueue ready)
    {
        long minWhen = long.MaxValue, maxWhen = long.MinValue, minSequence = long.MaxValue, maxSequence = long.MinValue;
        foreach (ref readonly var node in nodes)
        {
            minWhen = Math.Min(minWhen, node.WhenNs);
            maxWhen = Math.Max(maxWhen, node.WhenNs);
            minSequence = Math.Min(minSequence, node.Sequence);
            maxSequence = Math.Max(maxSequence, node.Sequence);
        }
        var sequenceBits = 64 - BitOperations.LeadingZeroCount((ulong)(maxSequence - minSequence));
        var whenBits = 64 - BitOperations.LeadingZeroCount((ulong)(maxWhen - minWhen));
        if (sequenceBits + whenBits > 64)
            return false;
        var keys = ArrayPool<ulong>.Shared.Rent(nodes.Length);
        var indices = ArrayPool<int>.Shared.Rent(nodes.Length);
        try
        {
            for (var i = 0; i < nodes.Length; i++)
            {
                keys[i] = ((ulong)(nodes[i].WhenNs - minWhen) << sequenceBits) | (ulong)(nodes[i].Sequence - minSequence);
                indices[i] = i;
            }
            RadixSort.Sort(keys.AsSpan(0, nodes.Length), indices.AsSpan(0, nodes.Length));
            for (var i = 0; i < nodes.Length; i++)
                MoveToReady(nodes[indices[i]].Callback, ready);
        }
        finally
        {
            ArrayPool<ulong>.Shared.Return(keys);
            ArrayPool<int>.Shared.Return(indices);
        }
        return true;
    }

    private void MoveToReady(in Callback callback, ReadyQueue ready)
    {
        ref var slot = ref _slots[callback.TimerId];
        if (slot.Cancelled)
        {
            if (slot.State == TimerState.InHeap)
                CancelledCount--;
            Release(callback.TimerId);
            return;
        }
        slot.State = TimerState.Ready;
        ready.Enqueue(callback);
    }

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
        while (_count > 0 && _slots[_heap[0].Callback.TimerId].Cancelled)
        {
            var id = PopTop().TimerId;
            CancelledCount--;
            Release(id);
        }
    }

    /// <summary>Phase 5, before a timer's callback runs: false when it was cancelled while ready.</summary>
    public bool IsCancelledTimer(int id) => _slots[id].Cancelled;

    /// <summary>Phase 5, after a timer's callback ran (or was skipped): its id is free again.</summary>
    public void Release(int id)
    {
        ref var slot = ref _slots[id];
        Debug.Assert(slot.State != TimerState.Free, "a timer id released twice");
        slot.State = TimerState.Free;
        slot.Cancelled = false;
        slot.Version++;
        if (_freeCount == _freeIds.Length)
            Array.Resize(ref _freeIds, _freeIds.Length * 2);
        _freeIds[_freeCount++] = id;
    }

    /// <summary>The handle of a live timer, for error reports.</summary>
    public TimerHandle HandleOf(int id) => new(this, id, _slots[id].Version, _slots[id].WhenNs);

    public void Cancel(int id, int version)
    {
        ref var slot = ref _slots[id];
        if (slot.Version != version || slot.Cancelled || slot.State == TimerState.Free)
            return;
        slot.Cancelled = true;
        if (slot.State == TimerState.InHeap)
            CancelledCount++;
    }

    public bool IsCancelled(int id, int version) => _slots[id].Version == version && _slots[id].Cancelled;

    /// <summary>Forgets every timer (the loop is closing); old handles become inert.</summary>
    public void Clear()
    {
        Array.Clear(_heap, 0, _count);
        _count = 0;
        Array.Clear(_overdue, 0, _overdueCount);
        _overdueCount = 0;
        CancelledCount = 0;
        for (var id = 1; id < _nextId; id++)
        {
            if (_slots[id].State != TimerState.Free)
                Release(id);
        }
    }

    private int AllocateId()
    {
        if (_freeCount > 0)
            return _freeIds[--_freeCount];
        if (_nextId == _slots.Length)
            Array.Resize(ref _slots, _slots.Length * 2);
        return _nextId++;
    }

    private Callback PopTop()
    {
        Debug.Assert(_count > 0, "pop from an empty timer heap");
        var top = _heap[0].Callback;
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
            var id = _heap[i].Callback.TimerId;
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

    /// <summary>A heap node: the key, and the callback with its timer id.</summary>
    private readonly record struct Node(long WhenNs, long Sequence, Callback Callback)
    {
        public bool Precedes(in Node other) =>
            WhenNs < other.WhenNs || (WhenNs == other.WhenNs && Sequence < other.Sequence);
    }

    private readonly struct NodeOrder : IComparer<Node>
    {
        public int Compare(Node x, Node y) => x.Precedes(y) ? -1 : y.Precedes(x) ? 1 : 0;
    }

    /// <summary>What the queue knows of a timer id.</summary>
    private struct Slot
    {
        public long WhenNs;
        public int Version;
        public TimerState State;
        public bool Cancelled;
    }

    private enum TimerState : byte
    {
        Free,
        InHeap,
        Overdue,
        Ready,
    }
}

using System.Buffers;
using System.Numerics;

namespace Sim.Core;

/// <summary>Phase 4: turning the due timers into the due list, one by one or in bulk.</summary>
internal sealed partial class TimerQueue
{
    // When at least this many timers, and at least 1/BulkShare of the heap, are due in one
    // phase, the rest are taken out with one partition and one sort instead of a pop each: a
    // pop costs cache misses all the way down a large heap, a sort scans memory in order. The
    // share bounds the partition's cost to BulkShare reads per timer it moves.
    private const int BulkMinimum = 64;
    private const int BulkShare = 64;

    private Node[] _bulk = [];

    /// <summary>
    /// Phase 4: every timer due before <paramref name="endNs"/> joins the due list, in
    /// (deadline, sequence) order. When an earlier phase 5 was cut short (the exception handler
    /// itself failed), its due list is finished first and the newly due timers wait one more
    /// iteration.
    /// </summary>
    public void MoveDue(long endNs)
    {
        if (HasDue)
            return;
        var heapDue = _count > 0 && _heap[0].WhenNs < endNs;
        if (_overdueCount > 0)
        {
            StartRunningBatch();
            var sorted = SortOverdueBatch();
            if (!heapDue)
            {
                SetDue(_sorted, sorted.Length);
                return;
            }
            StartMerged();
            MergeOverdueWithHeap(sorted, endNs);
        }
        else if (heapDue)
        {
            StartMerged();
        }
        else
        {
            return;
        }
        MoveDueFromHeap(endNs);
        SetDue(_merged, _mergedCount);
        WarmNextTimers();
    }

    /// <summary>The sorted overdue timers, merged with the heap's due ones in (deadline, sequence)
    /// order; the rest of the heap's due ones follow.</summary>
    private void MergeOverdueWithHeap(Span<DueTimer> overdue, long endNs)
    {
        for (var i = 0; i < overdue.Length;)
        {
            ref var next = ref overdue[i];
            if (_count > 0 && _heap[0].WhenNs < endNs && HeapTopPrecedes(next))
            {
                MoveToDue(PopTop());
                continue;
            }
            // An overdue timer cancelled meanwhile is seen when its turn comes in phase 5.
            AppendMerged(next);
            next = default;
            i++;
        }
    }

    private bool HeapTopPrecedes(in DueTimer overdue)
    {
        ref readonly var top = ref _heap[0];
        return top.WhenNs < overdue.WhenNs
            || (top.WhenNs == overdue.WhenNs && top.Sequence < _running.FirstSequence + OverdueIndexOf(overdue.Callback.TimerId));
    }

    private void MoveDueFromHeap(long endNs)
    {
        var moved = 0;
        while (_count > 0 && _heap[0].WhenNs < endNs)
        {
            if (++moved >= BulkMinimum && moved * BulkShare >= _count)
            {
                MoveDueInBulk(endNs);
                return;
            }
            MoveToDue(PopTop());
        }
    }

    /// <summary>The same as popping every due timer, in the same (deadline, sequence) order.</summary>
    private void MoveDueInBulk(long endNs)
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
        if (!TryMoveInRadixOrder(dueNodes))
        {
            dueNodes.Sort(default(NodeOrder));
            foreach (ref readonly var node in dueNodes)
                MoveToDue(node);
        }
        dueNodes.Clear();
    }

    /// <summary>
    /// Orders the due nodes by one 64-bit key, (deadline - earliest) above (sequence - lowest),
    /// when both spans fit together in 64 bits (almost always), and moves them in that order.
    /// </summary>
    private bool TryMoveInRadixOrder(Span<Node> nodes)
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
                MoveToDue(nodes[indices[i]]);
        }
        finally
        {
            ArrayPool<ulong>.Shared.Return(keys);
            ArrayPool<int>.Shared.Return(indices);
        }
        return true;
    }

    /// <summary>A due heap timer joins the due list, unless it was cancelled: then its id is free.</summary>
    private void MoveToDue(in Node node)
    {
        var id = node.Id;
        ref var slot = ref _slots[id];
        if (slot.Cancelled)
        {
            CancelledCount--;
            Release(id);
            return;
        }
        slot.State = TimerState.Due;
        WarmTask(slot.Callback.State);
        AppendMerged(new DueTimer(node.WhenNs, slot.Callback));
        slot.Callback = default;
    }
}

using System.Buffers;
using System.Numerics;

namespace Sim.Core;

/// <summary>Phase 4: moving due timers to the ready queue, one by one or in bulk.</summary>
internal sealed partial class TimerQueue
{
    // When at least this many timers, and at least 1/BulkShare of the heap, are due in one
    // phase, the rest are taken out with one partition and one sort instead of a pop each: a
    // pop costs cache misses all the way down a large heap, a sort scans memory in order. The
    // share bounds the partition's cost to BulkShare reads per timer it moves.
    private const int BulkMinimum = 64;
    private const int BulkShare = 64;

    private Node[] _bulk = [];

    // Timers already due when scheduled (call_later(0), call_at in the past) skip the heap: they
    // wait here in scheduling order and join phase 4 through a stable sort on the deadline.
    private Node[] _overdue = new Node[16];
    private int _overdueCount;

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
}

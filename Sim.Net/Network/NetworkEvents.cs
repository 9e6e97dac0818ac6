namespace Sim.Net;

/// <summary>Something the network delivers at a virtual time: a flow's next segments.</summary>
internal interface INetworkEvent
{
    /// <summary>The virtual time has come: deliver what is due at <paramref name="nowNs"/>.</summary>
    void Deliver(long nowNs);
}

/// <summary>
/// What the network has in flight, by arrival time: a binary heap on (time, sequence), so events
/// due at the same instant are delivered in the order they were scheduled. The simulated backend
/// delivers them inside <c>Poll</c>, as a kernel receives packets between two polls, and reports
/// the readiness they cause in that same poll.
/// </summary>
internal sealed class NetworkEvents
{
    private Entry[] _heap = new Entry[16];
    private long _sequence;

    /// <summary>Events scheduled and not yet delivered.</summary>
    public int Count { get; private set; }

    /// <summary>When the earliest event is due (only when <see cref="Count"/> is not 0).</summary>
    public long PeekTimeNs => _heap[0].TimeNs;

    /// <summary>Schedules <paramref name="target"/> for delivery at <paramref name="timeNs"/>.</summary>
    public void Schedule(long timeNs, INetworkEvent target)
    {
        if (Count == _heap.Length)
            Array.Resize(ref _heap, Count * 2);
        var entry = new Entry(timeNs, _sequence++, target);
        var index = Count++;
        while (index > 0)
        {
            var parent = (index - 1) / 2;
            if (!entry.Precedes(_heap[parent]))
                break;
            _heap[index] = _heap[parent];
            index = parent;
        }
        _heap[index] = entry;
    }

    /// <summary>Delivers, in order, every event due at or before <paramref name="nowNs"/>
    /// (including those that the deliveries schedule for that instant).</summary>
    public void DeliverDue(long nowNs)
    {
        while (Count > 0 && _heap[0].TimeNs <= nowNs)
            Pop().Deliver(nowNs);
    }

    private INetworkEvent Pop()
    {
        var top = _heap[0].Target;
        var last = _heap[--Count];
        _heap[Count] = default;
        if (Count > 0)
        {
            var index = 0;
            while (true)
            {
                var child = (2 * index) + 1;
                if (child >= Count)
                    break;
                if (child + 1 < Count && _heap[child + 1].Precedes(_heap[child]))
                    child++;
                if (!_heap[child].Precedes(last))
                    break;
                _heap[index] = _heap[child];
                index = child;
            }
            _heap[index] = last;
        }
        return top;
    }

    private readonly record struct Entry(long TimeNs, long Sequence, INetworkEvent Target)
    {
        public bool Precedes(in Entry other) => TimeNs < other.TimeNs || (TimeNs == other.TimeNs && Sequence < other.Sequence);
    }
}

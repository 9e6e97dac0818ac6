namespace Sim.Net;

/// <summary>Something the network delivers at a virtual time: a flow's next segments.</summary>
internal interface INetworkEvent
{
    /// <summary>What <see cref="Deliver"/> returns when nothing more is due.</summary>
    public const long Done = -1;

    /// <summary>The virtual time has come: delivers what is due at <paramref name="nowNs"/> and
    /// returns when it is due again (later than <paramref name="nowNs"/>), or <see cref="Done"/>.</summary>
    /// <remarks>A delivery may schedule other events, never for <paramref name="nowNs"/> or earlier.</remarks>
    long Deliver(long nowNs);
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

    /// <summary>Delivers, in (time, sequence) order, every event due at or before <paramref name="nowNs"/>.</summary>
    public void DeliverDue(long nowNs)
    {
        while (Count > 0 && _heap[0].TimeNs <= nowNs)
        {
            // What a delivery schedules is due later than now, so the top stays on top meanwhile.
            var nextNs = _heap[0].Target.Deliver(nowNs);
            if (nextNs == INetworkEvent.Done)
            {
                var last = _heap[--Count];
                _heap[Count] = default;
                if (Count > 0)
                    SiftDown(last);
            }
            else
            {
                SiftDown(new Entry(nextNs, _sequence++, _heap[0].Target));
            }
        }
    }

    /// <summary>Puts <paramref name="entry"/> in the root's place and moves it down to where it belongs.</summary>
    private void SiftDown(Entry entry)
    {
        var index = 0;
        while (true)
        {
            var child = (2 * index) + 1;
            if (child >= Count)
                break;
            if (child + 1 < Count && _heap[child + 1].Precedes(_heap[child]))
                child++;
            if (!_heap[child].Precedes(entry))
                break;
            _heap[index] = _heap[child];
            index = child;
        }
        _heap[index] = entry;
    }

    private readonly record struct Entry(long TimeNs, long Sequence, INetworkEvent Target)
    {
        public bool Precedes(in Entry other) => TimeNs < other.TimeNs || (TimeNs == other.TimeNs && Sequence < other.Sequence);
    }
}

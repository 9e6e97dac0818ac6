namespace Sim.Net;

/// <summary>
/// Link faults between hosts: partitions (a link cut until repaired, one way or both) and clogs
/// (a link that delays everything reaching it until a virtual time: delay, not loss). A stream's segments
/// waiting at a cut link are held and arrive, in order, once it is repaired (TCP would retransmit
/// them); a connection attempt across it gets no answer and times out unless the link is repaired
/// first; a datagram reaching a cut link is lost. A clogged link holds both until the clog ends.
/// Links inside one host are never cut.
/// </summary>
public sealed partial class SimNetwork
{
    // Directed links with a fault: blocked until that virtual time (long.MaxValue: partitioned).
    // Looked up only; never iterated, so its order decides nothing.
    private readonly Dictionary<(Host From, Host To), long> _blockedLinks = [];
    // Streams whose next segment waits at a cut link, in the order they reached it.
    private readonly List<Flow> _heldFlows = [];

    /// <summary>True while some link has a fault (a partition, or a clog that may not have ended yet).</summary>
    internal bool HasLinkFaults => _blockedLinks.Count > 0;

    /// <summary>
    /// Cuts the link between <paramref name="a"/> and <paramref name="b"/> (with
    /// <paramref name="oneWay"/>, only what <paramref name="a"/> sends to <paramref name="b"/>)
    /// until <see cref="Repair"/>.
    /// </summary>
    /// <exception cref="ArgumentException">The same host twice, or a host of another network.</exception>
    public void Partition(Host a, Host b, bool oneWay = false)
    {
        CheckLink(a, b);
        Block(a, b, long.MaxValue);
        if (!oneWay)
            Block(b, a, long.MaxValue);
        Record(a, "net.partition", oneWay ? $"{a.Name} -> {b.Name}" : $"{a.Name} <-> {b.Name}");
    }

    /// <summary>
    /// Delays everything <paramref name="a"/> and <paramref name="b"/> send each other (with
    /// <paramref name="oneWay"/>, only what <paramref name="a"/> sends) until
    /// <paramref name="duration"/> from now: nothing is lost, it arrives when the clog ends.
    /// </summary>
    /// <exception cref="ArgumentException">The same host twice, or a host of another network.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="duration"/> is negative.</exception>
    public void Clog(Host a, Host b, TimeSpan duration, bool oneWay = false)
    {
        CheckLink(a, b);
        ArgumentOutOfRangeException.ThrowIfLessThan(duration, TimeSpan.Zero);
        var untilNs = checked(NowNs + (duration.Ticks * 100));
        Block(a, b, untilNs);
        if (!oneWay)
            Block(b, a, untilNs);
        Record(a, "net.clog", $"{a.Name} {(oneWay ? "->" : "<->")} {b.Name} for {duration.TotalSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture)} s");
    }

    /// <summary>
    /// Repairs the link between <paramref name="a"/> and <paramref name="b"/> (with
    /// <paramref name="oneWay"/>, only the way from <paramref name="a"/> to <paramref name="b"/>):
    /// partitions and clogs end, and the segments a partition held there arrive now. What a clog
    /// had already delayed still arrives at the clog's end; what is sent from now on is not delayed.
    /// </summary>
    /// <exception cref="ArgumentException">The same host twice, or a host of another network.</exception>
    public void Repair(Host a, Host b, bool oneWay = false)
    {
        CheckLink(a, b);
        _blockedLinks.Remove((a, b));
        if (!oneWay)
            _blockedLinks.Remove((b, a));
        Record(a, "net.repair", oneWay ? $"{a.Name} -> {b.Name}" : $"{a.Name} <-> {b.Name}");
        ReleaseHeldFlows();
    }

    /// <summary>Repairs every link: no partition or clog is left.</summary>
    public void RepairAll()
    {
        _blockedLinks.Clear();
        Record(DefaultHost, "net.repair", "all links");
        ReleaseHeldFlows();
    }

    /// <summary>Whether a link is cut for good (partitioned) or the virtual time its clog ends
    /// (<paramref name="untilNs"/>); false when it is open now.</summary>
    internal bool IsBlocked(Host from, Host to, out long untilNs)
    {
        if (!_blockedLinks.TryGetValue((from, to), out untilNs))
            return false;
        if (untilNs > NowNs)
            return true;
        // A clog that has ended.
        _blockedLinks.Remove((from, to));
        return false;
    }

    /// <summary>A stream's next segment waits at a partitioned link: it waits for a repair.</summary>
    internal void Hold(Flow flow) => _heldFlows.Add(flow);

    private void ReleaseHeldFlows()
    {
        var held = _heldFlows.ToArray();
        _heldFlows.Clear();
        foreach (var flow in held)
        {
            // Still partitioned: held again when it delivers; clogged: it waits for the clog's end.
            Schedule(IsBlocked(flow.Sender.Host, flow.Receiver.Host, out var untilNs) && untilNs != long.MaxValue ? untilNs : NowNs, flow);
        }
    }

    private void Block(Host from, Host to, long untilNs)
    {
        // A partition outlasts any clog; a longer clog outlasts a shorter one.
        if (!_blockedLinks.TryGetValue((from, to), out var current) || current < untilNs)
            _blockedLinks[(from, to)] = untilNs;
    }

    private void CheckLink(Host a, Host b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        if (a == b)
            throw new ArgumentException($"A link joins two hosts; {a.Name} was given twice (links inside a host are never cut).", nameof(b));
        if (!_hosts.Contains(a) || !_hosts.Contains(b))
            throw new ArgumentException($"{(!_hosts.Contains(a) ? a.Name : b.Name)} is not a host of this network.", !_hosts.Contains(a) ? nameof(a) : nameof(b));
    }
}

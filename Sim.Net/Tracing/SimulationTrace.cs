using System.Text;
using Sim.Core;

namespace Sim.Net;

/// <summary>
/// Everything that happened in a simulation, in order: loop callbacks, and whatever the
/// simulated world and the program record. Its hash is stable across runs, platforms and .NET
/// versions, so the same seed must give the same hash.
/// </summary>
public sealed class SimulationTrace : ILoopTracer
{
    // FNV-1a 64: simple, stable, and plenty to tell two traces apart.
    private const ulong FnvOffset = 14695981039346656037UL;
    private const ulong FnvPrime = 1099511628211UL;

    private readonly IClock _clock;
    private readonly List<TraceEvent> _events = [];
    private ulong _hash = FnvOffset;

    public SimulationTrace(IClock clock, int eventsKeptMax = 100_000)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(eventsKeptMax);
        _clock = clock;
        EventsKeptMax = eventsKeptMax;
    }

    /// <summary>Events beyond this many are hashed and counted but not kept, to bound memory.</summary>
    public int EventsKeptMax { get; }

    /// <summary>The events kept, oldest first.</summary>
    public IReadOnlyList<TraceEvent> Events => _events;

    /// <summary>How many events were recorded, kept or not.</summary>
    public long Count { get; private set; }

    /// <summary>The hash of every event recorded so far, as 16 hex digits.</summary>
    public string Hash => _hash.ToString("x16", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>Records an event at the current virtual time.</summary>
    public void Record(string host, string kind, string details)
    {
        var traceEvent = new TraceEvent(_clock.NowNs, host, kind, details);
        Count++;
        if (_events.Count < EventsKeptMax)
            _events.Add(traceEvent);
        foreach (var b in Encoding.UTF8.GetBytes(traceEvent.ToString() + "\n"))
            _hash = (_hash ^ b) * FnvPrime;
    }

    void ILoopTracer.CallbackRunning(EventLoop loop, string callback) => Record("loop", "callback", callback);

    /// <summary>The index of the first event where two traces differ, or null when the kept events agree.</summary>
    public static int? FirstDivergence(SimulationTrace a, SimulationTrace b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        var common = Math.Min(a._events.Count, b._events.Count);
        for (var i = 0; i < common; i++)
        {
            if (a._events[i] != b._events[i])
                return i;
        }
        return a._events.Count == b._events.Count && a.Count == b.Count ? null : common;
    }

    /// <summary>The trace as text, one event a line.</summary>
    public override string ToString() => string.Join('\n', _events);
}

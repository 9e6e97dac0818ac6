using System.Collections;
using System.Globalization;
using Sim.Core;

namespace Sim.Net;

/// <summary>
/// Everything that happened in a simulation, in order: loop callbacks, and whatever the
/// simulated world and the program record. Its hash is stable across runs, platforms and .NET
/// versions, so the same seed must give the same hash.
/// </summary>
/// <remarks>
/// Recording is cheap: the hash is computed over the event's text as it is recorded, without
/// building that text (FNV-1a 64 over the UTF-16 code units of the time, host, kind and details),
/// and an event is kept in its parts — the details of a network event as a label, a number and a
/// suffix — and formatted only when <see cref="Events"/> is read.
/// </remarks>
public sealed class SimulationTrace : ILoopTracer
{
    // FNV-1a 64: simple, stable, and plenty to tell two traces apart.
    private const ulong FnvOffset = 14695981039346656037UL;
    private const ulong FnvPrime = 1099511628211UL;

    private readonly IClock _clock;
    private readonly List<Entry> _entries = [];
    private ulong _hash = FnvOffset;

    /// <summary>A trace stamped by <paramref name="clock"/> that keeps the first <paramref name="eventsKeptMax"/> events (the hash covers them all).</summary>
    public SimulationTrace(IClock clock, int eventsKeptMax = 100_000)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(eventsKeptMax);
        _clock = clock;
        EventsKeptMax = eventsKeptMax;
        Events = new EventList(this);
    }

    /// <summary>Events beyond this many are hashed and counted but not kept, to bound memory.</summary>
    public int EventsKeptMax { get; }

    /// <summary>The events kept, oldest first (each formatted when read).</summary>
    public IReadOnlyList<TraceEvent> Events { get; }

    /// <summary>How many events were recorded, kept or not.</summary>
    public long Count { get; private set; }

    /// <summary>The hash of every event recorded so far, as 16 hex digits.</summary>
    public string Hash => _hash.ToString("x16", CultureInfo.InvariantCulture);

    /// <summary>Records an event at the current virtual time.</summary>
    public void Record(string host, string kind, string details)
    {
        ArgumentNullException.ThrowIfNull(host);
        ArgumentNullException.ThrowIfNull(kind);
        ArgumentNullException.ThrowIfNull(details);
        Record(new Entry(_clock.NowNs, host, kind, details, HasNumber: false, 0, ""));
    }

    /// <summary>
    /// Records an event whose details are <paramref name="label"/>, a space, <paramref name="number"/>
    /// and <paramref name="suffix"/> ("127.0.0.1:7000 &lt;- 127.0.0.1:49152" 1024 " bytes"), without
    /// formatting them unless the event is read.
    /// </summary>
    internal void Record(string host, string kind, string label, long number, string suffix) =>
        Record(new Entry(_clock.NowNs, host, kind, label, HasNumber: true, number, suffix));

    void ILoopTracer.CallbackRunning(EventLoop loop, string callback) => Record("loop", "callback", callback);

    private void Record(in Entry entry)
    {
        Count++;
        if (_entries.Count < EventsKeptMax)
            _entries.Add(entry);
        var hash = _hash;
        Span<char> digits = stackalloc char[20];
        hash = Add(hash, Decimal(entry.TimeNs / 1_000_000_000, digits, 1));
        hash = Add(hash, '.');
        hash = Add(hash, Decimal(entry.TimeNs % 1_000_000_000, digits, 9));
        hash = Add(hash, ' ');
        hash = Add(hash, entry.Host);
        hash = Add(hash, ' ');
        hash = Add(hash, entry.Kind);
        hash = Add(hash, ' ');
        hash = Add(hash, entry.Text);
        if (entry.HasNumber)
        {
            hash = Add(hash, ' ');
            hash = Add(hash, Decimal(entry.Number, digits, 1));
            hash = Add(hash, entry.Suffix);
        }
        _hash = Add(hash, '\n');
    }

    /// <summary><paramref name="value"/> in decimal, at least <paramref name="width"/> digits
    /// (zero-padded), as the invariant culture's "D" format writes it, in the end of <paramref name="digits"/>.</summary>
    private static ReadOnlySpan<char> Decimal(long value, Span<char> digits, int width)
    {
        if (value < 0)
        {
            value.TryFormat(digits, out var written, default, CultureInfo.InvariantCulture);
            return digits[..written];
        }
        var start = digits.Length;
        var rest = (ulong)value;
        do
        {
            var next = rest / 10;
            digits[--start] = (char)('0' + (int)(rest - (next * 10)));
            rest = next;
        }
        while (rest != 0);
        while (digits.Length - start < width)
            digits[--start] = '0';
        return digits[start..];
    }

    private static ulong Add(ulong hash, ReadOnlySpan<char> text)
    {
        foreach (var c in text)
            hash = (hash ^ c) * FnvPrime;
        return hash;
    }

    private static ulong Add(ulong hash, char c) => (hash ^ c) * FnvPrime;

    /// <summary>The index of the first event where two traces differ, or null when the kept events agree.</summary>
    public static int? FirstDivergence(SimulationTrace a, SimulationTrace b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        var common = Math.Min(a._entries.Count, b._entries.Count);
        for (var i = 0; i < common; i++)
        {
            if (a.Events[i] != b.Events[i])
                return i;
        }
        return a._entries.Count == b._entries.Count && a.Count == b.Count ? null : common;
    }

    /// <summary>The trace as text, one event a line.</summary>
    public override string ToString() => string.Join('\n', Events);

    /// <summary>One recorded event in its parts: details are <see cref="Text"/>, or with
    /// <see cref="HasNumber"/>, <see cref="Text"/> + " " + <see cref="Number"/> + <see cref="Suffix"/>.</summary>
    private readonly record struct Entry(long TimeNs, string Host, string Kind, string Text, bool HasNumber, long Number, string Suffix)
    {
        public TraceEvent ToEvent() => new(TimeNs, Host, Kind,
            HasNumber ? string.Create(CultureInfo.InvariantCulture, $"{Text} {Number}{Suffix}") : Text);
    }

    /// <summary>The kept events, formatted as they are read.</summary>
    private sealed class EventList(SimulationTrace trace) : IReadOnlyList<TraceEvent>
    {
        public int Count => trace._entries.Count;

        public TraceEvent this[int index] => trace._entries[index].ToEvent();

        public IEnumerator<TraceEvent> GetEnumerator()
        {
            for (var i = 0; i < trace._entries.Count; i++)
                yield return trace._entries[i].ToEvent();
        }

        IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
    }
}

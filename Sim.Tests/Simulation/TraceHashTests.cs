using System.Text;
using Sim.Net;

namespace Sim.Tests.Simulations;

/// <summary>The trace's hash is FNV-1a 64 over the UTF-16 code units of each event's line
/// ("seconds.nanoseconds host kind details" and a newline), however the event was recorded.</summary>
[Trait("Category", "Simulation")]
public sealed class TraceHashTests
{
    private static string Fnv1a(string text)
    {
        var hash = 14695981039346656037UL;
        foreach (var c in text)
            hash = (hash ^ c) * 1099511628211UL;
        return hash.ToString("x16", System.Globalization.CultureInfo.InvariantCulture);
    }

    [Fact]
    public void Hash_IsFnvOfTheEventLines_AtTimesAndNumbersOfEveryWidth()
    {
        var clock = new VirtualClock();
        var trace = new SimulationTrace(clock);
        var times = new[] { 0L, 7L, 999_999_999L, 1_000_000_000L, 1_000_000_005L, 123_456_789_012_345L };
        var numbers = new[] { 0L, 9L, 10L, 1024L, -1L, long.MaxValue, long.MinValue };
        foreach (var time in times)
        {
            clock.AdvanceTo(time);
            trace.Record("host", "kind", "plain details");
            foreach (var number in numbers)
                trace.Record("host", "tcp.deliver", "a -> b", number, " bytes");
        }
        var lines = new StringBuilder();
        foreach (var e in trace.Events)
            lines.Append(e.ToString()).Append('\n');
        Assert.Equal(times.Length * (1 + numbers.Length), trace.Events.Count);
        Assert.Contains(trace.Events, e => e.ToString() == "123456.789012345 host tcp.deliver a -> b -9223372036854775808 bytes");
        Assert.Equal(Fnv1a(lines.ToString()), trace.Hash);
    }
}

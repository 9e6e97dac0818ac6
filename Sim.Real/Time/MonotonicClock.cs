using System.Diagnostics;
using Sim.Core;

namespace Sim.Real;

/// <summary>The operating system's monotonic clock (CLOCK_MONOTONIC on Linux), in nanoseconds.</summary>
public sealed class MonotonicClock : IClock
{
    private static readonly long s_frequency = Stopwatch.Frequency;

    /// <inheritdoc/>
    public long NowNs
    {
        get
        {
            var ticks = Stopwatch.GetTimestamp();
            return s_frequency == 1_000_000_000 ? ticks : (long)((Int128)ticks * 1_000_000_000 / s_frequency);
        }
    }

    /// <summary>One tick of the underlying counter (1 ns on Linux).</summary>
    public long ResolutionNs => Math.Max(1, 1_000_000_000 / s_frequency);
}

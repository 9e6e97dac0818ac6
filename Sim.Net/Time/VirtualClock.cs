using Sim.Core;

namespace Sim.Net;

/// <summary>
/// Simulated time: it stands still while callbacks run and moves only when the simulated
/// backend jumps it to the next event. Starts at 0.
/// </summary>
public sealed class VirtualClock : IClock
{
    /// <inheritdoc/>
    public long NowNs { get; private set; }

    /// <summary>1 ns: virtual time has no granularity of its own.</summary>
    public long ResolutionNs => 1;

    /// <summary>Moves time forward by <paramref name="deltaNs"/> nanoseconds.</summary>
    public void Advance(long deltaNs)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(deltaNs);
        NowNs = checked(NowNs + deltaNs);
    }

    /// <summary>Moves time forward to <paramref name="timeNs"/>; time never goes back.</summary>
    public void AdvanceTo(long timeNs)
    {
        if (timeNs < NowNs)
            throw new ArgumentOutOfRangeException(nameof(timeNs), timeNs, $"Virtual time never goes back (now {NowNs} ns).");
        NowNs = timeNs;
    }

    /// <inheritdoc/>
    public override string ToString() => $"{NowNs / 1e9:0.000000000}s (virtual)";
}

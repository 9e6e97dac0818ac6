namespace Sim.Core;

/// <summary>Seconds (asyncio's doubles) to the loop's nanoseconds, for deadlines that may lie in the past.</summary>
internal static class LoopTime
{
    // Far beyond any real deadline (about 73 years) and small enough that adding the loop's
    // current time never overflows.
    private const long LimitNs = long.MaxValue / 4;

    /// <summary>A loop time or an offset in seconds as nanoseconds, clamped to ±<see cref="LimitNs"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="seconds"/> is NaN.</exception>
    public static long ToNs(double seconds, string parameter)
    {
        if (double.IsNaN(seconds))
            throw new ArgumentOutOfRangeException(parameter, seconds, "A time must be a number of seconds, not NaN.");
        var ns = seconds * 1e9;
        return ns >= LimitNs ? LimitNs : ns <= -LimitNs ? -LimitNs : (long)Math.Round(ns);
    }

    /// <summary>The loop time <paramref name="delay"/> seconds from now; a negative delay lies in the past.</summary>
    public static long After(EventLoop loop, double delay, string parameter) => loop.TimeNs() + ToNs(delay, parameter);
}

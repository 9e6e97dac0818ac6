namespace Sim.Core;

public static partial class Asyncio
{
    /// <summary>
    /// Starts a <see cref="TimeoutScope"/> in the current task with a deadline
    /// <paramref name="delay"/> seconds from now (asyncio's <c>timeout</c>); null for no deadline,
    /// 0 or less to expire in the next iteration. Use it with <c>await using</c>.
    /// </summary>
    /// <exception cref="InvalidOperationException">No loop is running, or no task is.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="delay"/> is NaN.</exception>
    public static TimeoutScope Timeout(double? delay)
    {
        var loop = GetRunningLoop();
        return EnterTimeout(loop, delay is { } seconds ? LoopTime.After(loop, seconds, nameof(delay)) : null);
    }

    /// <inheritdoc cref="Timeout(double?)"/>
    public static TimeoutScope Timeout(TimeSpan delay) => Timeout(delay.TotalSeconds);

    /// <summary>Starts a <see cref="TimeoutScope"/> in the current task with a deadline at loop
    /// time <paramref name="when"/> (seconds; asyncio's <c>timeout_at</c>); null for none.</summary>
    /// <exception cref="InvalidOperationException">No loop is running, or no task is.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="when"/> is NaN.</exception>
    public static TimeoutScope TimeoutAt(double? when)
    {
        var loop = GetRunningLoop();
        return EnterTimeout(loop, when is { } seconds ? LoopTime.ToNs(seconds, nameof(when)) : null);
    }

    private static TimeoutScope EnterTimeout(EventLoop loop, long? whenNs)
    {
        var task = loop.CurrentTask
            ?? throw new InvalidOperationException("Timeout should be used inside a task: it cancels the task it runs in.");
        return new TimeoutScope(loop, task, whenNs);
    }
}

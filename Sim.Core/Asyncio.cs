namespace Sim.Core;

/// <summary>asyncio's module-level functions.</summary>
public static partial class Asyncio
{
    /// <summary>The loop running on this thread.</summary>
    /// <exception cref="InvalidOperationException">No loop runs on this thread.</exception>
    public static EventLoop GetRunningLoop() =>
        EventLoop.RunningLoopOnThisThread ?? throw new InvalidOperationException("no running event loop");

    /// <summary>The task running now on <paramref name="loop"/> (the running loop by default), or null.</summary>
    public static ILoopTask? CurrentTask(EventLoop? loop = null) => (loop ?? GetRunningLoop()).CurrentTask;

    /// <summary>The tasks of <paramref name="loop"/> (the running loop by default) that are not done, in creation order.</summary>
    public static IReadOnlyList<ILoopTask> AllTasks(EventLoop? loop = null) => (loop ?? GetRunningLoop()).AllTasks();

    /// <summary>Gives the loop one iteration (a bare yield): what <c>Sleep(0)</c> does.</summary>
    public static YieldAwaitable Yield() => default;

    /// <summary>Suspends the current task for <paramref name="delay"/> seconds of loop time; 0 or
    /// less yields exactly one iteration.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The delay is NaN.</exception>
    public static Coroutine Sleep(double delay)
    {
        if (double.IsNaN(delay))
            throw new ArgumentOutOfRangeException(nameof(delay), delay, "A sleep must last a number of seconds, not NaN.");
        return new SleepCoroutine(delay <= 0 ? 0 : EventLoop.DelayToNs(delay, nameof(delay)));
    }

    /// <inheritdoc cref="Sleep(double)"/>
    public static Coroutine Sleep(TimeSpan delay) => Sleep(delay.TotalSeconds);

    /// <summary>Sleeps, then returns <paramref name="result"/>.</summary>
    public static async Coroutine<T> Sleep<T>(double delay, T result)
    {
        await Sleep(delay);
        return result;
    }
}

using System.Diagnostics;

namespace Sim.Core;

public sealed partial class EventLoop
{
    // How many loops, in the whole process, run in debug mode right now (any thread).
    private static int s_runningDebugLoops;

    private readonly List<CoroutineBase> _coroutinesNotStarted = [];

    /// <summary>False while the loop running on this thread is in debug mode: pooled coroutines
    /// are then neither kept nor handed out, so each call is a coroutine of its own the loop can
    /// track (see <see cref="OnCoroutineCreated"/>).</summary>
    internal static bool PoolsCoroutinesOnThisThread => s_runningDebugLoops == 0 || s_runningLoop is not { Debug: true };

    private void ReportIfSlow(string callback, long elapsedNs)
    {
        var seconds = elapsedNs / 1e9;
        if (seconds >= SlowCallbackDuration)
            (_log ?? Console.Error).WriteLine($"Executing {callback} took {seconds:0.000} seconds");
    }

    /// <summary>In debug mode, remembers a coroutine created while the loop runs, to report it at
    /// <see cref="Close"/> if it never started (asyncio's "coroutine ... was never awaited").</summary>
    internal static void OnCoroutineCreated(CoroutineBase coroutine)
    {
        // Most processes never run a loop in debug mode: a plain static read then spares every
        // coroutine the thread-local read.
        if (s_runningDebugLoops == 0)
            return;
        if (s_runningLoop is { Debug: true } loop)
            loop.TrackCoroutine(coroutine);
    }

    private void TrackCoroutine(CoroutineBase coroutine)
    {
        // Drop the ones that have started since, so the list stays as short as the offenders.
        if (_coroutinesNotStarted.Count >= 1024)
            _coroutinesNotStarted.RemoveAll(static c => c.HasStarted);
        _coroutinesNotStarted.Add(coroutine);
    }

    private void ReportCoroutinesNeverAwaited()
    {
        foreach (var coroutine in _coroutinesNotStarted)
        {
            if (!coroutine.HasStarted)
                CallExceptionHandler(new ExceptionContext($"coroutine '{coroutine.Name}' was never awaited"));
        }
        _coroutinesNotStarted.Clear();
    }

    [Conditional("DEBUG")]
    internal void AssertOnLoopThread()
    {
        System.Diagnostics.Debug.Assert(!_running || Environment.CurrentManagedThreadId == _threadId, "loop state touched from another thread");
    }
}

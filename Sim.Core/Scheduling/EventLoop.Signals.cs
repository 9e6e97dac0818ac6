namespace Sim.Core;

public sealed partial class EventLoop
{
    // Indexed by signal number: the handler, and the backend's registration delivering the signal.
    private (Action Handler, IDisposable Watch)?[]? _signals;

    /// <summary>
    /// asyncio's <c>add_signal_handler</c>: from now on signal <paramref name="signum"/> runs
    /// <paramref name="callback"/> on the loop (as a ready callback, in the iteration after the
    /// loop hears of the signal, each delivery once) instead of the signal's default action. A
    /// second call for the same signal replaces the handler. Numbers are Linux's (<see cref="Signals"/>).
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">Not a signal number (1..64 but 32 and 33, as CPython's
    /// <c>signal.valid_signals()</c>): "invalid signal number N".</exception>
    /// <exception cref="InvalidOperationException">SIGKILL or SIGSTOP ("sig 9 cannot be caught"), or the loop is closed.</exception>
    /// <exception cref="NotSupportedException">The backend has no signals.</exception>
    /// <exception cref="PlatformNotSupportedException">The platform cannot deliver this signal.</exception>
    public void AddSignalHandler(int signum, Action callback)
    {
        ArgumentNullException.ThrowIfNull(callback);
        CheckSignal(signum);
        CheckClosed();
        CheckThread();
        if (signum is Signals.SIGKILL or Signals.SIGSTOP)
            throw new InvalidOperationException($"sig {signum} cannot be caught");
        _signals ??= new (Action, IDisposable)?[Signals.Count];
        var watch = _signals[signum]?.Watch ?? _backend.WatchSignal(signum, SignalArrived);
        _signals[signum] = (callback, watch);
    }

    /// <summary>asyncio's <c>remove_signal_handler</c>: the signal gets its default action back.</summary>
    /// <returns>True when a handler was removed; false when the signal had none (or the loop is closed).</returns>
    /// <exception cref="ArgumentOutOfRangeException">Not a signal number (1..64 but 32 and 33).</exception>
    public bool RemoveSignalHandler(int signum)
    {
        CheckSignal(signum);
        CheckThread();
        if (_signals?[signum] is not { } signal)
            return false;
        _signals[signum] = null;
        signal.Watch.Dispose();
        return true;
    }

    private static void CheckSignal(int signum)
    {
        if (!Signals.IsValid(signum))
            throw new ArgumentOutOfRangeException(nameof(signum), signum, $"invalid signal number {signum}");
    }

    /// <summary>The backend heard of a signal, on any thread: the loop's next iteration looks up
    /// the handler (as CPython's self-pipe reader does), which runs in the iteration after.</summary>
    private void SignalArrived(int signum) => TryCallSoonThreadsafe(() => DispatchSignal(signum));

    private void DispatchSignal(int signum)
    {
        // A handler removed meanwhile ignores the signal; one replaced meanwhile is the one run.
        if (_signals?[signum] is { } signal)
            CallSoon(signal.Handler);
    }

    /// <summary>On close, every signal gets its default action back (CPython's unix loop does the same).</summary>
    private void RemoveSignalHandlers()
    {
        if (_signals is null)
            return;
        for (var signum = 1; signum < Signals.Count; signum++)
        {
            if (Signals.IsValid(signum))
                RemoveSignalHandler(signum);
        }
    }
}

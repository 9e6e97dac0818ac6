namespace Sim.Core;

/// <summary>
/// <c>Asyncio.Sleep</c> written by hand: a coroutine that is also what its task waits on, so a
/// sleeping task costs a timer and this object, no future. It behaves like CPython's
/// <c>sleep</c>: the timer's callback wakes the task through <c>CallSoon</c>, and cancelling the
/// task cancels the timer and raises <see cref="CancelledError"/> (with the message) at the await.
/// </summary>
internal sealed class SleepCoroutine : Coroutine, ITaskWaitTarget
{
    private static readonly Action<SleepCoroutine> s_timerFired = static sleep => sleep.TimerFired();

    private readonly long _delayNs;
    private TimerHandle _timer;
    private bool _waiting;
    private bool _resumed;
    private CancelledError? _cancelled;

    /// <param name="delayNs">The delay; 0 or less is a bare yield.</param>
    public SleepCoroutine(long delayNs) => _delayNs = delayNs;

    public override string Name => "Sleep";

    public bool Cancelled => _cancelled is not null;

    private protected override void MoveNext()
    {
        var task = Task!;
        if (!_resumed)
        {
            _resumed = true;
            MarkSuspended();
            if (_delayNs <= 0)
            {
                task.SuspendOnYield(this);
                return;
            }
            var loop = task.Loop;
            _timer = loop.CallAtNs(loop.TimeNs() + _delayNs, s_timerFired, this);
            _waiting = true;
            task.SuspendOnTarget(this, this);
            return;
        }
        if (task.TakeThrowOnResume() is { } pending)
            SetException(pending);
        else if (_cancelled is not null)
            SetException(_cancelled);
        else
            SetResult(Unit.Value);
    }

    public bool Cancel(string? message)
    {
        if (!_waiting)
            return false;
        _waiting = false;
        _timer.Cancel();
        _cancelled = new CancelledError(message);
        Task!.Wake();
        return true;
    }

    private void TimerFired()
    {
        if (!_waiting)
            return;
        _waiting = false;
        Task!.Wake();
    }

    public override string ToString() => $"<Sleep {_delayNs / 1e9:0.######}s{(_waiting ? " pending" : "")}>";
}

namespace Sim.Core;

/// <summary>
/// A callback scheduled for a point in loop time (asyncio's <c>TimerHandle</c>). Timers run in
/// (deadline, sequence) order: two timers due at the same instant run in the order they were
/// scheduled.
/// </summary>
public sealed class TimerHandle
{
    private readonly EventLoop _loop;
    private Callback _callback;

    internal TimerHandle(EventLoop loop, long whenNs, long sequence, in Callback callback)
    {
        _loop = loop;
        WhenNs = whenNs;
        Sequence = sequence;
        _callback = callback;
    }

    /// <summary>The deadline, in loop nanoseconds.</summary>
    public long WhenNs { get; }

    /// <summary>The deadline, in loop seconds (<see cref="EventLoop.Time"/>'s scale).</summary>
    public double When => WhenNs / 1e9;

    /// <summary>True once <see cref="Cancel"/> was called, even after the timer ran.</summary>
    public bool Cancelled { get; private set; }

    /// <summary>The tie-breaker among timers with the same deadline: scheduling order.</summary>
    internal long Sequence { get; }

    /// <summary>True while the timer sits in the loop's heap (not yet due, not yet pruned).</summary>
    internal bool InHeap { get; set; }

    /// <summary>Prevents the callback from running, if it has not run yet.</summary>
    public void Cancel()
    {
        if (Cancelled)
            return;
        Cancelled = true;
        _callback = default;
        if (InHeap)
            _loop.TimerCancelled();
    }

    internal void Run() => _callback.Invoke();

    internal string Describe() => _callback.Target is null ? "cancelled" : _callback.ToString();

    public override string ToString() =>
        $"<TimerHandle when={When:0.######}{(Cancelled ? " cancelled" : "")} {Describe()}>";
}

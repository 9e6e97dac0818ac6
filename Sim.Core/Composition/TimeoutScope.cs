namespace Sim.Core;

/// <summary>
/// A deadline for a block of code in a task (asyncio's <c>Timeout</c>), made by
/// <see cref="Asyncio.Timeout(double?)"/> or <see cref="Asyncio.TimeoutAt(double?)"/> and used
/// with <c>await using</c>:
/// <code>
/// await using (var scope = Asyncio.Timeout(1.5))
/// {
///     await SlowWork();   // cancelled at the deadline
/// }                       // ... and the CancelledError becomes a TimeoutException here
/// </code>
/// At the deadline the scope cancels its task; at its end it turns the resulting
/// <see cref="CancelledError"/> into a <see cref="TimeoutException"/> (the CancelledError as its
/// inner exception) — but only when its own cancellation is the only one outstanding: it compares
/// the task's <see cref="ILoopTask.Cancelling"/> count with the count when the scope was made, as
/// asyncio does, so a cancellation from outside is never swallowed, even one that arrives in
/// the same iteration as the deadline. In nested scopes only the scope whose deadline passed
/// converts.
/// </summary>
/// <remarks>
/// <para>The scope is entered when it is made (C# has no asynchronous entry), so make it where
/// the block starts. Its end, <see cref="DisposeAsync"/>, does not suspend, so it returns a
/// completed <see cref="ValueTask"/>: awaiting it inside a coroutine runs inline, with no loop
/// iteration and no foreign-awaitable hop.</para>
/// <para>C#'s <c>await using</c> does not tell <see cref="DisposeAsync"/> which exception, if
/// any, is leaving the block, where Python's <c>__aexit__</c> is told. The scope infers it from
/// the cancel count, which is asyncio's own contract: a block that leaves while its task still
/// has more cancellation requests than at the start is taken to be leaving with the
/// CancelledError. A block that swallows the deadline's CancelledError must therefore call
/// <see cref="ILoopTask.Uncancel"/> (as asyncio asks) to leave normally; one that swallows it
/// without doing so gets the TimeoutException at the end of the scope, where asyncio would
/// leave normally. <see cref="Asyncio.WaitFor{T}(Coroutine{T}, double?)"/> sees the exception
/// itself and has no such caveat.</para>
/// </remarks>
public sealed class TimeoutScope : IAsyncDisposable
{
    private static readonly Action<TimeoutScope> s_onTimeout = static scope => scope.OnTimeout();

    private readonly EventLoop _loop;
    private readonly ILoopTask _task;
    private readonly int _cancellingOnEntry;
    private long? _whenNs;
    private Handle _soonHandle;
    private TimerHandle _timerHandle;
    private ScopeState _state;

    internal TimeoutScope(EventLoop loop, ILoopTask task, long? whenNs)
    {
        _loop = loop;
        _task = task;
        _cancellingOnEntry = task.Cancelling();
        _state = ScopeState.Active;
        RescheduleNs(whenNs);
    }

    /// <summary>The deadline in loop time (seconds), or null for none.</summary>
    public double? When => _whenNs / 1e9;

    /// <summary>True once the deadline has passed while the scope was active.</summary>
    public bool Expired => _state is ScopeState.Expiring or ScopeState.Expired;

    /// <summary>Moves the deadline to loop time <paramref name="when"/> (seconds; null for none).
    /// A deadline not after now expires in the next iteration.</summary>
    /// <exception cref="InvalidOperationException">The scope has expired or ended.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="when"/> is NaN.</exception>
    public void Reschedule(double? when) => RescheduleNs(when is { } seconds ? LoopTime.ToNs(seconds, nameof(when)) : null);

    /// <summary>Ends the scope: cancels the deadline and, if it expired and its cancellation is
    /// the only one outstanding, fails with <see cref="TimeoutException"/>. Idempotent.</summary>
    public ValueTask DisposeAsync()
    {
        if (_state is ScopeState.Finished or ScopeState.Expired)
            return default;
        var leavingWithCancellation = _task.Cancelling() > _cancellingOnEntry;
        try
        {
            Exit(leavingWithCancellation, cause: null);
            return default;
        }
        catch (TimeoutException timeout)
        {
            return ValueTask.FromException(timeout);
        }
    }

    /// <summary>Python's repr: <c>&lt;Timeout [active] when=12.5&gt;</c>.</summary>
    public override string ToString() =>
        _state == ScopeState.Active
            ? $"<Timeout [active] when={(_whenNs is { } ns ? Math.Round(ns / 1e9, 3).ToString(System.Globalization.CultureInfo.InvariantCulture) : "None")}>"
            : $"<Timeout [{StateName}]>";

    /// <summary>
    /// asyncio's <c>__aexit__</c>: <paramref name="leavingWithCancellation"/> says whether the block
    /// leaves with a CancelledError (<paramref name="cause"/>, when known). Throws the
    /// TimeoutException when the scope converts.
    /// </summary>
    internal void Exit(bool leavingWithCancellation, Exception? cause)
    {
        CancelHandles();
        if (_state == ScopeState.Expiring)
        {
            _state = ScopeState.Expired;
            if (_task.Uncancel() <= _cancellingOnEntry && leavingWithCancellation)
                throw new TimeoutException("The timeout scope's deadline passed.", cause);
        }
        else if (_state == ScopeState.Active)
        {
            _state = ScopeState.Finished;
        }
    }

    private void RescheduleNs(long? whenNs)
    {
        if (_state != ScopeState.Active)
            throw new InvalidOperationException($"Cannot change state of {StateName} Timeout");
        _whenNs = whenNs;
        CancelHandles();
        if (whenNs is not { } deadline)
            return;
        // A deadline already passed expires through CallSoon, as in asyncio, not as a timer.
        if (deadline <= _loop.TimeNs())
            _soonHandle = _loop.CallSoon(s_onTimeout, this);
        else
            _timerHandle = _loop.CallAtNs(deadline, s_onTimeout, this);
    }

    private void CancelHandles()
    {
        _soonHandle.Cancel();
        _timerHandle.Cancel();
        _soonHandle = default;
        _timerHandle = default;
    }

    private void OnTimeout()
    {
        System.Diagnostics.Debug.Assert(_state == ScopeState.Active, "a timeout fired for a scope that is not active");
        _task.Cancel();
        _state = ScopeState.Expiring;
        _soonHandle = default;
        _timerHandle = default;
    }

    private string StateName => _state switch
    {
        ScopeState.Active => "active",
        ScopeState.Expiring => "expiring",
        ScopeState.Expired => "expired",
        _ => "finished",
    };

    /// <summary><c>Active -> Finished</c>, or <c>Active -> Expiring -> Expired</c> when the deadline passes first.</summary>
    private enum ScopeState
    {
        Active,
        Expiring,
        Expired,
        Finished,
    }
}

namespace Sim.Core;

/// <summary>
/// A future that runs a coroutine on the loop (asyncio's <c>Task</c>), one step per callback.
/// The task knows the future its coroutine waits on: <see cref="Cancel"/> cancels that future,
/// so <see cref="CancelledError"/> is raised at the await where the coroutine is suspended, and
/// a coroutine that catches it keeps running (CPython's <c>Task.__step</c> semantics).
/// </summary>
public class LoopTask<T> : Future<T>, ITaskDriver
{
    private static readonly Action<LoopTask<T>> s_step = static task => task.Step();

    private readonly Coroutine<T> _coroutine;
    private readonly long _number;
    private CoroutineBase? _resume;
    private ITaskWaitTarget? _waitingOn;
    private bool _mustCancel;
    private int _cancelRequests;
    private Exception? _throwOnResume;

    // What few tasks need (a name, an error to raise at the next step, a foreign continuation),
    // kept out of every task's fields.
    private Rare? _rare;

    /// <summary>Creates a task and schedules its first step (also <see cref="EventLoop.CreateTask{T}"/>).</summary>
    public LoopTask(EventLoop loop, Coroutine<T> coroutine, string? name = null) : base(loop)
    {
        ArgumentNullException.ThrowIfNull(coroutine);
        coroutine.Claim(this);
        _coroutine = coroutine;
        _resume = coroutine;
        // The default name is formatted only when asked for: most tasks are never named.
        if (name is null)
            _number = loop.NextTaskNumber();
        else
            RareState.Name = name;
        loop.ScheduleCallback(Callback.Of(s_step, this));
        loop.RegisterTask(this);
    }

    /// <inheritdoc/>
    public string Name
    {
        get => RareState.Name ??= $"Task-{_number}";
        set => RareState.Name = value;
    }

    private Rare RareState => _rare ??= new Rare();

    EventLoop ITaskDriver.Loop => GetLoop();

    private EventLoop Loop => GetLoop();

    int ITaskDriver.TaskSlot { get; set; }

    /// <inheritdoc/>
    public Future AsFuture() => this;

    /// <inheritdoc/>
    public CoroutineBase GetCoro() => _coroutine;

    /// <inheritdoc/>
    public IReadOnlyList<string> GetStack() => Done ? [] : _coroutine.Stack();

    /// <inheritdoc/>
    public int Cancelling() => _cancelRequests;

    /// <inheritdoc/>
    public int Uncancel()
    {
        if (_cancelRequests > 0)
            _cancelRequests--;
        return _cancelRequests;
    }

    /// <summary>
    /// Requests cancellation. If the task waits on a future, that future is cancelled; otherwise
    /// <see cref="CancelledError"/> is raised when the task next resumes. Returns false if the
    /// task is already done. The task may catch the error and carry on.
    /// </summary>
    public override bool Cancel(string? message = null)
    {
        if (Done)
            return false;
        _cancelRequests++;
        // The future stays recorded: if it is a task that swallows the cancellation, a later
        // Cancel must reach it again.
        if (_waitingOn is not null && _waitingOn.Cancel(message))
            return true;
        _mustCancel = true;
        CancelMessage = message;
        return true;
    }

    /// <summary>Tasks finish only by running their coroutine.</summary>
    /// <exception cref="InvalidOperationException">Always.</exception>
    public override void SetResult(T result) =>
        throw new InvalidOperationException("Task does not support set_result operation");

    /// <summary>Tasks finish only by running their coroutine.</summary>
    /// <exception cref="InvalidOperationException">Always.</exception>
    public override void SetException(Exception exception) =>
        throw new InvalidOperationException("Task does not support set_exception operation");

    private protected override string KindName => "Task";

    /// <summary>Python's repr: <c>&lt;Task pending name='Task-1' coro=Main&gt;</c>.</summary>
    public override string ToString() =>
        $"<Task {Describe()} name='{Name}' coro={_coroutine.Name}{(_waitingOn is null || Done ? "" : $" wait_for={_waitingOn}")}>";

    string ITaskDriver.Describe() => _waitingOn is null ? $"{Name} ({_coroutine.Name})" : $"{Name} ({_coroutine.Name}, waiting on {_waitingOn})";

    /// <summary>One step: resume the innermost suspended coroutine until it suspends again or the task ends.</summary>
    private void Step()
    {
        System.Diagnostics.Debug.Assert(!Done, "a finished task was stepped");
        Exception? error = null;
        if (_rare is { StepError: { } stepError } rare)
        {
            error = stepError;
            rare.StepError = null;
        }
        if (_mustCancel)
        {
            // A cancelled future the task waited on raises its own CancelledError at the await,
            // first message included (CPython keeps that error); any other outcome is replaced.
            if (error is not CancelledError && _waitingOn is not { Cancelled: true })
                error = new CancelledError(CancelMessage);
            _mustCancel = false;
        }
        _waitingOn = null;
        Loop.EnterTask(this);
        try
        {
            if (error is not null && !_coroutine.HasStarted)
            {
                // Throwing into a coroutine that never started ends it before its first line.
                _coroutine.SetException(error);
            }
            else
            {
                _throwOnResume = error;
                var resume = _resume!;
                _resume = null;
                resume.Run();
                CarryOverUnconsumedThrow();
            }
            if (_coroutine.IsCompleted)
                Finish();
        }
        finally
        {
            Loop.LeaveTask(this);
        }
    }

    /// <summary>A cancellation the coroutine never saw (it resumed at a foreign await) is
    /// delivered at its next SimLoop await instead.</summary>
    private void CarryOverUnconsumedThrow()
    {
        if (_throwOnResume is not CancelledError pending || _coroutine.IsCompleted)
            return;
        _throwOnResume = null;
        _mustCancel = true;
        CancelMessage = pending.CancelMessage;
        if (_waitingOn is not null && _waitingOn.Cancel(CancelMessage))
            _mustCancel = false;
    }

    private void Finish()
    {
        try
        {
            _coroutine.GetResult();
        }
        catch (CancelledError cancelled)
        {
            CancelCore(null, cancelled);
            Loop.UnregisterTask(this);
            return;
        }
        catch (Exception exception)
        {
            SetExceptionCore(exception);
            Loop.UnregisterTask(this);
            return;
        }
        if (_mustCancel)
        {
            // Cancelled right before the coroutine returned.
            _mustCancel = false;
            CancelCore(CancelMessage, null);
        }
        else
        {
            TrySetResultCore(_coroutine.GetResult());
        }
        Loop.UnregisterTask(this);
    }

    void ITaskDriver.SuspendOnFuture(Future future, CoroutineBase resume)
    {
        _resume = resume;
        if (future.GetLoop() != Loop)
        {
            ScheduleStepWithError(new InvalidOperationException($"Task {this} got Future {future} attached to a different loop"));
            return;
        }
        if (ReferenceEquals(future, this))
        {
            ScheduleStepWithError(new InvalidOperationException($"Task cannot await on itself: {this}"));
            return;
        }
        future.AddDoneCallbackCore(Callback.Of(s_step, this));
        WaitOn(future);
    }

    void ITaskDriver.SuspendOnTarget(ITaskWaitTarget target, CoroutineBase resume)
    {
        _resume = resume;
        WaitOn(target);
    }

    void ITaskDriver.Wake() => Loop.ScheduleCallback(Callback.Of(s_step, this));

    /// <summary>Records what the task waits on; a cancellation requested meanwhile reaches it at once.</summary>
    private void WaitOn(ITaskWaitTarget target)
    {
        _waitingOn = target;
        if (_mustCancel && target.Cancel(CancelMessage))
            _mustCancel = false;
    }

    void ITaskDriver.SuspendOnYield(CoroutineBase resume)
    {
        _resume = resume;
        Loop.ScheduleCallback(Callback.Of(s_step, this));
    }

    Action ITaskDriver.SuspendOnForeign(CoroutineBase resume)
    {
        _resume = resume;
        Loop.BeginOutsideWork();
        return RareState.ForeignContinuation ??= ResumeFromForeign;
    }

    Exception? ITaskDriver.TakeThrowOnResume()
    {
        var pending = _throwOnResume;
        _throwOnResume = null;
        return pending;
    }

    /// <summary>
    /// A foreign awaitable completed, on any thread (or inline on the loop thread, inside some
    /// other callback): the step always goes through the ready queue, never runs nested.
    /// </summary>
    private void ResumeFromForeign()
    {
        // Queued before the count drops, so the loop always sees one of the two (no false deadlock).
        if (Loop.IsOnLoopThread)
            Loop.ScheduleCallback(Callback.Of(s_step, this));
        else
            Loop.CallSoonThreadsafe(s_step, this);
        Loop.EndOutsideWork();
    }

    private void ScheduleStepWithError(Exception error)
    {
        RareState.StepError = error;
        Loop.ScheduleCallback(Callback.Of(s_step, this));
    }

    /// <summary>The state few tasks need.</summary>
    private sealed class Rare
    {
        public string? Name;
        public Exception? StepError;
        public Action? ForeignContinuation;
    }
}

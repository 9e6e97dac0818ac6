using System.Diagnostics;
using System.Runtime.ExceptionServices;

namespace Sim.Core;

/// <summary>
/// What every future shares, whatever its result type: the state machine
/// <c>Pending -> Finished | Cancelled</c>, the exception, and the done-callbacks, which always
/// run through <see cref="EventLoop.CallSoon(Action)"/>, never inline.
/// </summary>
[DebuggerDisplay("{ToString(),nq}")]
public abstract class Future : IAwaitTarget, ITaskWaitTarget
{
    private readonly EventLoop _loop;
    private Callback _firstCallback;

    // What most futures never need (a second callback, an exception, a cancellation), kept out
    // of every future's fields: a future is created per task and per wait.
    private Rare? _rare;

    private protected Future(EventLoop loop)
    {
        ArgumentNullException.ThrowIfNull(loop);
        _loop = loop;
    }

    /// <summary>Where the future is in its life.</summary>
    public FutureState State { get; private set; }

    /// <summary>True once finished or cancelled.</summary>
    public bool Done => State != FutureState.Pending;

    /// <summary>True once cancelled.</summary>
    public bool Cancelled => State == FutureState.Cancelled;

    /// <summary>The message given to <see cref="Cancel"/>, if any.</summary>
    protected string? CancelMessage
    {
        get => _rare?.CancelMessage;
        set
        {
            if (value is not null || _rare is not null)
                RareState.CancelMessage = value;
        }
    }

    private Rare RareState => _rare ??= new Rare();

    private List<Callback>? MoreCallbacks => _rare?.MoreCallbacks;

    private ExceptionDispatchInfo? Error => _rare?.Error;

    /// <summary>The loop the future belongs to.</summary>
    public EventLoop GetLoop() => _loop;

    /// <summary>
    /// Cancels the future and schedules its callbacks; false if it was already done.
    /// </summary>
    public virtual bool Cancel(string? message = null) => CancelCore(message, null);

    /// <summary>The exception the future finished with, or null after a result.</summary>
    /// <exception cref="CancelledError">The future was cancelled.</exception>
    /// <exception cref="InvalidStateException">The future is still pending.</exception>
    public Exception? Exception()
    {
        if (State == FutureState.Cancelled)
            throw MakeCancelledError();
        if (State == FutureState.Pending)
            throw new InvalidStateException("Exception is not set.");
        return Error?.SourceException;
    }

    /// <summary>The result as an object (null for none), for code that does not know the type.</summary>
    public abstract object? ResultObject();

    /// <summary>Adds a callback run (through <c>CallSoon</c>) once the future is done; at once
    /// (still through <c>CallSoon</c>) if it is done already.</summary>
    public void AddDoneCallback(Action<Future> callback)
    {
        ArgumentNullException.ThrowIfNull(callback);
        AddDoneCallbackCore(Callback.Of(callback, this));
    }

    /// <summary>Removes every registration of <paramref name="callback"/>; returns how many there were.</summary>
    public int RemoveDoneCallback(Action<Future> callback) => RemoveDoneCallbackCore(callback, this);

    internal void AddDoneCallbackCore(in Callback callback)
    {
        if (State != FutureState.Pending)
        {
            _loop.ScheduleCallback(callback);
            return;
        }
        if (_firstCallback.IsEmpty && MoreCallbacks is null)
            _firstCallback = callback;
        else
            (RareState.MoreCallbacks ??= []).Add(callback);
    }

    internal int RemoveDoneCallbackCore(Delegate target, object? state)
    {
        var removed = 0;
        if (!_firstCallback.IsEmpty && Matches(_firstCallback, target, state))
        {
            _firstCallback = default;
            removed++;
        }
        if (MoreCallbacks is { } more)
            removed += more.RemoveAll(c => Matches(c, target, state));
        return removed;
    }

    /// <summary>True when <paramref name="target"/> is registered as a done-callback with this
    /// future as its argument (and has not run yet).</summary>
    internal bool HasDoneCallback(Delegate target)
    {
        if (!_firstCallback.IsEmpty && Matches(_firstCallback, target, this))
            return true;
        if (MoreCallbacks is not { } more)
            return false;
        foreach (var callback in more)
        {
            if (Matches(callback, target, this))
                return true;
        }
        return false;
    }

    private static bool Matches(in Callback callback, Delegate target, object? state) =>
        Equals(callback.Delegate, target) && ReferenceEquals(callback.State, state);

    private protected bool SetExceptionCore(Exception exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        if (State != FutureState.Pending)
            return false;
        RareState.Error = ExceptionDispatchInfo.Capture(exception);
        State = FutureState.Finished;
        ScheduleCallbacks();
        return true;
    }

    private protected void MarkFinished()
    {
        State = FutureState.Finished;
        ScheduleCallbacks();
    }

    private protected bool CancelCore(string? message, CancelledError? error)
    {
        if (State != FutureState.Pending)
            return false;
        State = FutureState.Cancelled;
        CancelMessage = message;
        if (error is not null)
            RareState.CancelledError = error;
        ScheduleCallbacks();
        return true;
    }

    private protected InvalidStateException NotPendingError() =>
        new($"{State.ToString().ToUpperInvariant()}: {this}");

    /// <summary>Throws the failure (exception or cancellation) of a done future, if any.</summary>
    private protected void ThrowIfFailed()
    {
        if (State == FutureState.Cancelled)
            throw MakeCancelledError();
        if (State == FutureState.Pending)
            throw new InvalidStateException("Result is not ready.");
        Error?.Throw();
    }

    internal CancelledError MakeCancelledError() => RareState.CancelledError ??= new CancelledError(CancelMessage);

    /// <summary>The message of a direct <see cref="Cancel"/> (null for a task cancelled through what
    /// it awaited): what <c>Gather(..., returnExceptions: true)</c> puts in its CancelledError.</summary>
    internal string? CancelMessageGiven => CancelMessage;

    /// <summary>Python's repr: <c>&lt;Future pending&gt;</c>, <c>&lt;Future finished result=1&gt;</c>...</summary>
    public override string ToString() => $"<{KindName} {Describe()}>";

    private protected virtual string KindName => "Future";

    private protected string Describe() => State switch
    {
        FutureState.Pending => "pending",
        FutureState.Cancelled => "cancelled",
        _ when Error is { } error => $"finished exception={error.SourceException.GetType().Name}('{error.SourceException.Message}')",
        _ => $"finished result={FormatResult()}",
    };

    private protected abstract string FormatResult();

    private void ScheduleCallbacks()
    {
        if (!_firstCallback.IsEmpty)
        {
            var first = _firstCallback;
            _firstCallback = default;
            _loop.ScheduleCallback(first);
        }
        if (MoreCallbacks is { } more)
        {
            _rare!.MoreCallbacks = null;
            foreach (var callback in more)
                _loop.ScheduleCallback(callback);
        }
    }

    /// <summary>The state few futures need.</summary>
    private sealed class Rare
    {
        public List<Callback>? MoreCallbacks;
        public ExceptionDispatchInfo? Error;
        public CancelledError? CancelledError;
        public string? CancelMessage;
    }

    void IAwaitTarget.SuspendTask(ITaskDriver task, CoroutineBase resume) => task.SuspendOnFuture(this, resume);
}

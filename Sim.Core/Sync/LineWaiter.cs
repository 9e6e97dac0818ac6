namespace Sim.Core;

/// <summary><see cref="LineWaiter{TResult}"/> for an operation without a result (a
/// <see cref="Coroutine"/>, such as <c>Put</c>).</summary>
internal abstract class LineWaiter : Coroutine, ILineWaiter, ILineWaiterSteps, ITaskWaitTarget
{
    private LineWait _wait;

    /// <param name="primitive">The primitive whose operation this is.</param>
    private protected LineWaiter(LoopBound primitive) : base(primitive.RunningBoundLoop) { }

    /// <summary>The primitive whose operation this is.</summary>
    private protected abstract LoopBound Primitive { get; }

    public bool Done => _wait.Done;

    public bool Cancelled => _wait.Cancelled;

    public void Wake() => _wait.Wake(Task!);

    bool ITaskWaitTarget.Cancel(string? message) => _wait.Cancel(Task!, message);

    public abstract bool Begin();

    /// <summary>The part of <see cref="Begin"/> that finishes without waiting: true when it did
    /// (a result set with <c>Return</c>), false with nothing changed. The default never does.</summary>
    public virtual bool TryFinishAtOnce() => false;

    public abstract bool Resume();

    public abstract void Abandon();

    /// <summary>The operation finishes; true.</summary>
    private protected static bool Return() => true;

    /// <summary>The operation finishes with <paramref name="error"/>; true.</summary>
    private protected bool Fail(Exception error) => _wait.Fail(error);

    /// <summary>Joins the back of <paramref name="line"/>; the task suspends once the step returns.</summary>
    private protected bool WaitIn(WaiterQueue line)
    {
        _wait.EnterLine(line, this);
        return false;
    }

    /// <summary>The await's fast path: inside a task's step, an operation that needs no wait
    /// finishes here, without a suspension (see <see cref="CoroutineBase"/>).</summary>
    private protected sealed override bool CompletesAtAwait()
    {
        if (!Primitive.InTaskStep() || !TryFinishAtOnce())
            return false;
        // Claimed without a task: a finished operation never needs one.
        ClaimFinishedAtAwait();
        Complete();
        return true;
    }

    private protected sealed override void MoveNext()
    {
        if (!_wait.Step(this, Task!, out var error))
        {
            MarkSuspended();
            Task!.SuspendOnTarget(this, this);
        }
        else if (error is not null)
        {
            SetException(error);
        }
        else
        {
            Complete();
        }
    }

    public override string ToString() => $"<{Name} {_wait}>";
}

namespace Sim.Core;

/// <summary><see cref="LineWaiter{TResult}"/> for an operation without a result (a
/// <see cref="Coroutine"/>, such as <c>Put</c>).</summary>
internal abstract class LineWaiter : Coroutine, ILineWaiter, ILineWaiterSteps, ITaskWaitTarget
{
    private LineWait _wait;
    private Exception? _error;

    public bool Done => _wait.Done;

    public bool Cancelled => _wait.Cancelled;

    public void Wake() => _wait.Wake(Task!);

    bool ITaskWaitTarget.Cancel(string? message) => _wait.Cancel(Task!, message);

    public abstract bool Begin();

    public abstract bool Resume();

    public abstract void Abandon();

    private protected static bool Return() => true;

    private protected bool Fail(Exception error)
    {
        _error = error;
        return true;
    }

    /// <summary>Joins the back of <paramref name="line"/>; the task suspends once the step returns.</summary>
    private protected bool WaitIn(WaiterQueue line)
    {
        _wait.EnterLine(line, this);
        return false;
    }

    private protected sealed override void MoveNext()
    {
        if (!_wait.Step(this, Task!, ref _error))
        {
            MarkSuspended();
            Task!.SuspendOnTarget(this, this);
        }
        else if (_error is { } error)
        {
            SetException(error);
        }
        else
        {
            SetResult(Unit.Value);
        }
    }

    public override string ToString() => $"<{Name} {_wait}>";
}

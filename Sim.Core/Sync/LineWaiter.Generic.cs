namespace Sim.Core;

/// <summary>
/// A primitive's blocking operation (<c>Acquire</c>, <c>Get</c>...) written as a coroutine by
/// hand, which is also what its task waits on while it stands in the primitive's line: asyncio's
/// waiter future without a future, so a blocked operation costs this one object.
/// <para>
/// It behaves like the asyncio code it replaces, <c>fut = create_future(); line.append(fut);
/// await fut</c>: <see cref="Wake"/> is <c>fut.set_result</c> (the task steps in a later
/// iteration), cancelling the task while it waits is <c>fut.cancel()</c>, and a task cancelled
/// after it was woken gets <see cref="CancelledError"/> at the await all the same, with the
/// wake-up still to hand on. A subclass says what happens at each point:
/// </para>
/// <code>
/// Begin -> finished | WaitIn(line) -> Resume -> finished | WaitIn(line) -> ...
///                                  -> Abandon -> raises the cancellation
/// </code>
/// </summary>
internal abstract class LineWaiter<TResult> : Coroutine<TResult>, ILineWaiter, ILineWaiterSteps, ITaskWaitTarget
{
    private LineWait _wait;
    private TResult? _result;
    private Exception? _error;

    public bool Done => _wait.Done;

    public bool Cancelled => _wait.Cancelled;

    public void Wake() => _wait.Wake(Task!);

    bool ITaskWaitTarget.Cancel(string? message) => _wait.Cancel(Task!, message);

    public abstract bool Begin();

    public abstract bool Resume();

    public abstract void Abandon();

    private protected bool Return(TResult result)
    {
        _result = result;
        return true;
    }

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
            SetResult(_result!);
        }
    }

    public override string ToString() => $"<{Name} {_wait}>";
}

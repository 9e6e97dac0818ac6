namespace Sim.Core;

public static partial class Asyncio
{
    /// <summary>Returns <paramref name="future"/> as it is (asyncio's <c>ensure_future</c>).</summary>
    /// <exception cref="ArgumentException"><paramref name="loop"/> is given and is not the future's loop.</exception>
    public static Future<T> EnsureFuture<T>(Future<T> future, EventLoop? loop = null)
    {
        ArgumentNullException.ThrowIfNull(future);
        if (loop is not null && future.GetLoop() != loop)
            throw new ArgumentException("The future belongs to a different loop than the one specified as the loop argument.", nameof(loop));
        return future;
    }

    /// <summary>Wraps <paramref name="coroutine"/> in a new task on <paramref name="loop"/> (the
    /// running loop by default); its first step runs in the next iteration.</summary>
    /// <exception cref="InvalidOperationException">No loop is given and none is running.</exception>
    public static LoopTask<T> EnsureFuture<T>(Coroutine<T> coroutine, EventLoop? loop = null)
    {
        ArgumentNullException.ThrowIfNull(coroutine);
        return (loop ?? GetRunningLoop()).CreateTask(coroutine);
    }

    /// <summary>A .NET task as a future of <paramref name="loop"/>; see <see cref="WrapFuture{T}(Task{T}, EventLoop?)"/>.</summary>
    public static Future<T> EnsureFuture<T>(Task<T> task, EventLoop? loop = null) => WrapFuture(task, loop);

    /// <summary>
    /// A .NET task as a future of <paramref name="loop"/> (the running loop by default), asyncio's
    /// <c>wrap_future</c>: the task's outcome reaches the future on the loop's thread, through
    /// <see cref="EventLoop.CallSoonThreadsafe(Action)"/>, in a later iteration even when the task
    /// has finished already. A faulted task gives its single inner exception (the
    /// <see cref="AggregateException"/> when there are several); a cancelled one a cancelled
    /// future. Cancelling the future cannot stop a .NET task, except one returned by
    /// <see cref="RunCoroutineThreadsafe{T}"/>, whose coroutine it cancels.
    /// </summary>
    /// <exception cref="InvalidOperationException">No loop is given and none is running.</exception>
    public static Future<T> WrapFuture<T>(Task<T> task, EventLoop? loop = null)
    {
        ArgumentNullException.ThrowIfNull(task);
        loop ??= GetRunningLoop();
        var future = loop.CreateFuture<T>();
        var target = loop;
        if (ThreadsafeSubmission<T>.Of(task) is { } submission)
        {
            // Completed on its loop's thread by a done-callback: this hop is deterministic.
            future.AddDoneCallback(wrapped =>
            {
                if (wrapped.Cancelled)
                    submission.Cancel();
            });
            // From another loop's thread the outcome is outside work this loop must wait for.
            var crossesLoops = submission.Loop != target;
            if (crossesLoops)
                target.BeginOutsideWork();
            submission.OnCompleted(() =>
            {
                // Queued before the count drops, so the loop always sees one of the two.
                DeliverFromThread(target, task, future);
                if (crossesLoops)
                    target.EndOutsideWork();
            });
            return future;
        }
        if (task.IsCompleted)
        {
            DeliverFromThread(target, task, future);
            return future;
        }
        target.BeginOutsideWork();
        task.ConfigureAwait(false).GetAwaiter().UnsafeOnCompleted(() =>
        {
            DeliverFromThread(target, task, future);
            target.EndOutsideWork();
        });
        return future;
    }

    /// <summary>A .NET task without a result as a future of <paramref name="loop"/>; see
    /// <see cref="WrapFuture{T}(Task{T}, EventLoop?)"/>.</summary>
    public static Future<Unit> WrapFuture(Task task, EventLoop? loop = null)
    {
        ArgumentNullException.ThrowIfNull(task);
        if (task is Task<Unit> typed)
            return WrapFuture(typed, loop);
        var unit = new TaskCompletionSource<Unit>();
        task.ContinueWith(
            static (completed, state) =>
            {
                var source = (TaskCompletionSource<Unit>)state!;
                if (completed.IsCanceled)
                    source.TrySetCanceled();
                else if (completed.IsFaulted)
                    source.TrySetException(completed.Exception!.InnerExceptions);
                else
                    source.TrySetResult(Unit.Value);
            },
            unit, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        return WrapFuture(unit.Task, loop);
    }

    /// <summary>Sends a finished task's outcome to <paramref name="future"/> on its loop's thread
    /// (dropped if the loop has closed meanwhile).</summary>
    private static void DeliverFromThread<T>(EventLoop loop, Task<T> task, Future<T> future) =>
        loop.TryCallSoonThreadsafe(() => EventLoop.TransferOutcome(task, future));

}

namespace Sim.Core;

public sealed partial class EventLoop
{
    private IExecutor? _defaultExecutor;
    private bool _executorShutdownCalled;

    /// <summary>
    /// Runs <paramref name="function"/> in the default executor (the backend's, unless
    /// <see cref="SetDefaultExecutor"/> chose another) and returns a future of its result.
    /// Cancelling the future does not stop the work; its result is then discarded.
    /// </summary>
    public Future<T> RunInExecutor<T>(Func<T> function)
    {
        ArgumentNullException.ThrowIfNull(function);
        CheckClosed();
        if (_executorShutdownCalled)
            throw new InvalidOperationException("Executor shutdown has been called");
        var executor = _defaultExecutor ??= _backend.CreateDefaultExecutor();
        var future = CreateFuture<T>();
        var job = new ExecutorJob<T>(function, future);
        if (executor.RunsOutsideLoop)
            BeginThreadWork();
        executor.Submit(this, job.Run, () =>
        {
            if (executor.RunsOutsideLoop)
                EndThreadWork();
            job.Deliver();
        });
        return future;
    }

    /// <summary>Runs an action in the default executor.</summary>
    public Future<Unit> RunInExecutor(Action action)
    {
        ArgumentNullException.ThrowIfNull(action);
        return RunInExecutor(() =>
        {
            action();
            return Unit.Value;
        });
    }

    /// <summary>Replaces the default executor used by <see cref="RunInExecutor{T}(Func{T})"/>.</summary>
    public void SetDefaultExecutor(IExecutor executor)
    {
        ArgumentNullException.ThrowIfNull(executor);
        _defaultExecutor = executor;
    }

    /// <summary>
    /// Shuts the default executor down and completes when every job submitted to it has
    /// finished. Further <c>RunInExecutor</c> calls raise.
    /// </summary>
    public Future<Unit> ShutdownDefaultExecutor()
    {
        CheckClosed();
        _executorShutdownCalled = true;
        var done = CreateFuture<Unit>();
        if (_defaultExecutor is not { } executor)
        {
            done.SetResult(Unit.Value);
            return done;
        }
        if (executor.RunsOutsideLoop)
            BeginThreadWork();
        executor.Shutdown(this, () =>
        {
            if (executor.RunsOutsideLoop)
                EndThreadWork();
            if (!done.Done)
                done.SetResult(Unit.Value);
        });
        return done;
    }

    /// <summary>A .NET task as a future of this loop: its outcome is carried to the loop thread.</summary>
    internal Future<T> WrapTask<T>(Task<T> task)
    {
        var future = CreateFuture<T>();
        if (task.IsCompleted)
        {
            TransferOutcome(task, future);
            return future;
        }
        BeginOutsideWork();
        task.ConfigureAwait(false).GetAwaiter().UnsafeOnCompleted(() => CallSoonThreadsafe(() =>
        {
            EndOutsideWork();
            TransferOutcome(task, future);
        }));
        return future;
    }

    internal Future<Unit> WrapTask(Task task) => WrapTask(task.ContinueWith(
        static completed =>
        {
            completed.GetAwaiter().GetResult();
            return Unit.Value;
        },
        CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default));

    /// <summary>Copies a finished .NET task's outcome into <paramref name="future"/> (on the loop thread).</summary>
    internal static void TransferOutcome<T>(Task<T> task, Future<T> future)
    {
        if (future.Done)
            return;
        if (task.IsCanceled)
            future.Cancel();
        else if (task.IsFaulted)
            future.SetException(task.Exception!.InnerExceptions.Count == 1 ? task.Exception.InnerException! : task.Exception);
        else
            future.SetResult(task.Result);
    }

    /// <summary>One executor job: the work runs wherever the executor puts it; the outcome is
    /// delivered on the loop thread.</summary>
    private sealed class ExecutorJob<T>(Func<T> function, Future<T> future)
    {
        private T? _result;
        private Exception? _error;

        public void Run()
        {
            try
            {
                _result = function();
            }
            catch (Exception exception)
            {
                _error = exception;
            }
        }

        public void Deliver()
        {
            if (future.Done)
                return;
            if (_error is not null)
                future.SetException(_error);
            else
                future.SetResult(_result!);
        }
    }
}

using System.Runtime.CompilerServices;

namespace Sim.Core;

/// <summary>
/// A coroutine sent to a loop from any thread by <see cref="Asyncio.RunCoroutineThreadsafe{T}"/>
/// (asyncio chains a task and a <c>concurrent.futures.Future</c>). The .NET task it hands out
/// runs its awaiters' continuations asynchronously, so no caller's code ever runs on the loop's
/// thread; <see cref="Asyncio.WrapFuture{T}(Task{T}, EventLoop?)"/> instead hooks in through
/// <see cref="OnCompleted"/>, which runs where the task completes (on the loop's thread, in a
/// done-callback), so wrapping it back into a future is as deterministic as in asyncio.
/// </summary>
internal sealed class ThreadsafeSubmission<T>
{
    private static readonly ConditionalWeakTable<Task<T>, ThreadsafeSubmission<T>> s_byTask = new();

    private readonly TaskCompletionSource<T> _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Lock _lock = new();
    private List<Action>? _onCompleted;
    private bool _completed;
    private LoopTask<T>? _task;

    public ThreadsafeSubmission(EventLoop loop)
    {
        Loop = loop;
        s_byTask.Add(_completion.Task, this);
    }

    /// <summary>The loop the coroutine runs on.</summary>
    public EventLoop Loop { get; }

    public Task<T> Task => _completion.Task;

    /// <summary>The submission behind a task <see cref="Asyncio.RunCoroutineThreadsafe{T}"/> returned, if it is one.</summary>
    public static ThreadsafeSubmission<T>? Of(Task<T> task) => s_byTask.TryGetValue(task, out var submission) ? submission : null;

    /// <summary>On the loop's thread: the coroutine becomes a task, chained to the .NET task.</summary>
    public void Start(Coroutine<T> coroutine)
    {
        try
        {
            _task = Asyncio.EnsureFuture(coroutine, Loop);
        }
        catch (Exception error)
        {
            Complete(source => source.TrySetException(error));
            throw;
        }
        _task.AddDoneCallback(CopyOutcome);
        if (Task.IsCanceled)
            _task.Cancel();
    }

    /// <summary>Cancels the .NET task at once and the coroutine's task on its loop (asyncio's
    /// <c>concurrent.futures.Future.cancel</c>); false if the outcome was already set.</summary>
    public bool Cancel()
    {
        if (!Complete(static source => source.TrySetCanceled()))
            return false;
        Loop.TryCallSoonThreadsafe(() => _task?.Cancel());
        return true;
    }

    /// <summary>Cancels the submission when <paramref name="cancellationToken"/> is cancelled.</summary>
    public void CancelWith(CancellationToken cancellationToken)
    {
        if (!cancellationToken.CanBeCanceled)
            return;
        var registration = cancellationToken.Register(static state => ((ThreadsafeSubmission<T>)state!).Cancel(), this);
        OnCompleted(registration.Dispose);
    }

    /// <summary>Runs <paramref name="callback"/> where the outcome is set (at once if it is set).</summary>
    public void OnCompleted(Action callback)
    {
        lock (_lock)
        {
            if (!_completed)
            {
                (_onCompleted ??= []).Add(callback);
                return;
            }
        }
        callback();
    }

    private void CopyOutcome(Future<T> finished)
    {
        if (finished.Cancelled)
            Complete(static source => source.TrySetCanceled());
        else if (finished.Exception() is { } error)
            Complete(source => source.TrySetException(error));
        else
            Complete(source => source.TrySetResult(finished.Result()));
    }

    /// <summary>Sets the outcome once and runs the completion callbacks; false if it was set already.</summary>
    private bool Complete(Func<TaskCompletionSource<T>, bool> setOutcome)
    {
        List<Action>? callbacks;
        lock (_lock)
        {
            if (_completed)
                return false;
            _completed = true;
            setOutcome(_completion);
            callbacks = _onCompleted;
            _onCompleted = null;
        }
        if (callbacks is not null)
        {
            foreach (var callback in callbacks)
                callback();
        }
        return true;
    }
}

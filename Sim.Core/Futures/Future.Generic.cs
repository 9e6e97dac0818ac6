using System.Runtime.ExceptionServices;

namespace Sim.Core;

/// <summary>
/// asyncio's <c>Future</c>: a result that will exist later, bound to one loop. Awaitable from
/// coroutines (the awaiting task suspends until it is done) and from plain .NET async code.
/// Not thread-safe: use it on its loop's thread.
/// </summary>
public class Future<T> : Future
{
    private T? _result;

    /// <summary>Creates a pending future on <paramref name="loop"/> (also <see cref="EventLoop.CreateFuture{T}"/>).</summary>
    public Future(EventLoop loop) : base(loop) { }

    /// <summary>The result; throws the exception, or <see cref="CancelledError"/>, instead when there is one.</summary>
    /// <exception cref="InvalidStateException">The future is still pending.</exception>
    public T Result()
    {
        ThrowIfFailed();
        return _result!;
    }

    /// <inheritdoc/>
    public override object? ResultObject() => Result();

    /// <summary>Finishes the future with a result and schedules its callbacks.</summary>
    /// <exception cref="InvalidStateException">The future is already done.</exception>
    public virtual void SetResult(T result)
    {
        if (!TrySetResultCore(result))
            throw NotPendingError();
    }

    /// <summary>Finishes the future with an exception and schedules its callbacks.</summary>
    /// <exception cref="InvalidStateException">The future is already done.</exception>
    public virtual void SetException(Exception exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        if (!SetExceptionCore(exception))
            throw NotPendingError();
    }

    /// <summary>Adds a callback run (through <c>CallSoon</c>) once the future is done.</summary>
    public void AddDoneCallback(Action<Future<T>> callback)
    {
        ArgumentNullException.ThrowIfNull(callback);
        AddDoneCallbackCore(Callback.Of(callback, this));
    }

    /// <summary>Removes every registration of <paramref name="callback"/>; returns how many there were.</summary>
    public int RemoveDoneCallback(Action<Future<T>> callback) => RemoveDoneCallbackCore(callback, this);

    /// <summary>Lets coroutines and .NET async methods <c>await</c> the future.</summary>
    public FutureAwaiter<T> GetAwaiter() => new(this);

    /// <summary>A .NET task that completes like this future (continuations run asynchronously).</summary>
    public Task<T> AsTask()
    {
        var source = new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);
        AddDoneCallback(future =>
        {
            if (future.Cancelled)
                source.TrySetCanceled();
            else if (future.Exception() is { } error)
                source.TrySetException(error);
            else
                source.TrySetResult(future._result!);
        });
        return source.Task;
    }

    private protected bool TrySetResultCore(T result)
    {
        if (State != FutureState.Pending)
            return false;
        _result = result;
        MarkFinished();
        return true;
    }

    /// <summary>The result for an <c>await</c>: first whatever the stepping task must throw at
    /// its suspension point (a cancellation), then the future's own outcome.</summary>
    internal T GetResultForAwait()
    {
        if (EventLoop.SteppingTask?.TakeThrowOnResume() is { } pending)
            ExceptionDispatchInfo.Throw(pending);
        return Result();
    }

    private protected override string FormatResult() => _result switch
    {
        null => "None",
        string text => $"'{text}'",
        _ => _result.ToString() ?? "None",
    };
}

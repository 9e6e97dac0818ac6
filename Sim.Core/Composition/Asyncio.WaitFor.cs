namespace Sim.Core;

public static partial class Asyncio
{
    /// <summary>
    /// Awaits <paramref name="coroutine"/> with a deadline <paramref name="timeout"/> seconds away
    /// (asyncio's <c>wait_for</c>, with Python 3.12's semantics): the coroutine runs inline in the
    /// current task inside a <see cref="TimeoutScope"/>; at the deadline it is cancelled, its
    /// cleanup runs to the end, and then <see cref="TimeoutException"/> is raised — unless it
    /// swallowed the cancellation and returned a value (that value is returned) or failed with
    /// another exception (that one is raised). A cancellation of the task from outside is raised
    /// as <see cref="CancelledError"/>, never turned into a timeout. With a timeout of 0 or less
    /// the coroutine becomes a task that is cancelled before it starts; null waits for ever.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="timeout"/> is NaN.</exception>
    public static Coroutine<T> WaitFor<T>(Coroutine<T> coroutine, double? timeout)
    {
        ArgumentNullException.ThrowIfNull(coroutine);
        CheckTimeout(timeout, nameof(timeout));
        return WaitForCore(coroutine, null, timeout);
    }

    /// <summary>Awaits <paramref name="future"/> (or a task) with a deadline; at the deadline it is
    /// cancelled and waited for. See <see cref="WaitFor{T}(Coroutine{T}, double?)"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="timeout"/> is NaN.</exception>
    public static Coroutine<T> WaitFor<T>(Future<T> future, double? timeout)
    {
        ArgumentNullException.ThrowIfNull(future);
        CheckTimeout(timeout, nameof(timeout));
        return WaitForCore(null, future, timeout);
    }

    /// <inheritdoc cref="WaitFor{T}(Coroutine{T}, double?)"/>
    public static Coroutine<T> WaitFor<T>(Coroutine<T> coroutine, TimeSpan timeout) => WaitFor(coroutine, timeout.TotalSeconds);

    /// <inheritdoc cref="WaitFor{T}(Future{T}, double?)"/>
    public static Coroutine<T> WaitFor<T>(Future<T> future, TimeSpan timeout) => WaitFor(future, timeout.TotalSeconds);

    private static async Coroutine<T> WaitForCore<T>(Coroutine<T>? coroutine, Future<T>? future, double? timeout)
    {
        var loop = GetRunningLoop();
        if (timeout is { } expired && expired <= 0)
            return await WaitForExpired(future ?? EnsureFuture(coroutine!, loop), loop);
        var scope = EnterTimeout(loop, timeout is { } seconds ? LoopTime.After(loop, seconds, nameof(timeout)) : null);
        T result;
        try
        {
            result = future is not null ? await future : await coroutine!;
        }
        catch (CancelledError cancelled)
        {
            scope.Exit(leavingWithCancellation: true, cause: cancelled);
            throw;
        }
        catch
        {
            scope.Exit(leavingWithCancellation: false, cause: null);
            throw;
        }
        scope.Exit(leavingWithCancellation: false, cause: null);
        return result;
    }

    /// <summary>The deadline has passed already: a done future gives its outcome, a pending one is
    /// cancelled and waited for, then TimeoutException unless it ended some other way.</summary>
    private static async Coroutine<T> WaitForExpired<T>(Future<T> inner, EventLoop loop)
    {
        if (inner.Done)
            return inner.Result();
        await CancelAndWait(inner, loop);
        try
        {
            return inner.Result();
        }
        catch (CancelledError cancelled)
        {
            throw new TimeoutException("The deadline had passed before the work could run.", cancelled);
        }
    }

    /// <summary>Cancels <paramref name="future"/> and waits until it is done, through a waiter of
    /// its own so that this wait stays cancellable (asyncio's <c>_cancel_and_wait</c>).</summary>
    private static async Coroutine CancelAndWait(Future future, EventLoop loop)
    {
        var waiter = loop.CreateFuture<Unit>();
        Action<Future> release = _ => s_releaseWaiter(waiter);
        future.AddDoneCallback(release);
        try
        {
            future.Cancel();
            await waiter;
        }
        finally
        {
            future.RemoveDoneCallback(release);
        }
    }
}

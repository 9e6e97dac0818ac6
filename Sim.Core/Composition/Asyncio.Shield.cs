namespace Sim.Core;

public static partial class Asyncio
{
    /// <summary>
    /// Protects <paramref name="inner"/> from the cancellation of whoever awaits it (asyncio's
    /// <c>shield</c>): the returned future follows the inner one, but cancelling it (or the task
    /// awaiting it) leaves the inner one running. Cancelling the inner one cancels the returned
    /// future. A finished future is returned as it is.
    /// </summary>
    public static Future<T> Shield<T>(Future<T> inner)
    {
        ArgumentNullException.ThrowIfNull(inner);
        if (inner.Done)
            return inner;
        var outer = inner.GetLoop().CreateFuture<T>();
        void InnerDone(Future<T> finished)
        {
            if (outer.Cancelled)
                return;
            if (finished.Cancelled)
                outer.Cancel();
            else if (finished.Exception() is { } error)
                outer.SetException(error);
            else
                outer.SetResult(finished.Result());
        }
        Action<Future<T>> innerDone = InnerDone;
        inner.AddDoneCallback(innerDone);
        outer.AddDoneCallback(_ =>
        {
            if (!inner.Done)
                inner.RemoveDoneCallback(innerDone);
        });
        return outer;
    }

    /// <summary>Runs <paramref name="coroutine"/> as a task on the running loop and shields it;
    /// see <see cref="Shield{T}(Future{T})"/>.</summary>
    public static Future<T> Shield<T>(Coroutine<T> coroutine) => Shield<T>(EnsureFuture(coroutine));
}

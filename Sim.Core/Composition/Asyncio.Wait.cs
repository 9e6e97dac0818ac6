namespace Sim.Core;

public static partial class Asyncio
{
    /// <summary>
    /// Waits until the futures (or tasks) are done as <paramref name="returnWhen"/> says, or until
    /// <paramref name="timeout"/> seconds have passed, and returns those done and those still
    /// pending, each in argument order, a future given twice counted once (asyncio's
    /// <c>wait</c>). It neither raises the futures' exceptions nor cancels anything, on timeout
    /// or when the waiting task is cancelled. A timeout of 0 or less returns after the next
    /// iteration; null waits without a limit.
    /// </summary>
    /// <exception cref="ArgumentException">No futures, or a null one.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="timeout"/> is NaN, or
    /// <paramref name="returnWhen"/> is not one of the three values.</exception>
    public static Coroutine<(IReadOnlyList<TFuture> Done, IReadOnlyList<TFuture> Pending)> Wait<TFuture>(
        IEnumerable<TFuture> futures, double? timeout = null, ReturnWhen returnWhen = ReturnWhen.AllCompleted)
        where TFuture : Future
    {
        ArgumentNullException.ThrowIfNull(futures);
        CheckTimeout(timeout, nameof(timeout));
        if (!Enum.IsDefined(returnWhen))
            throw new ArgumentOutOfRangeException(nameof(returnWhen), returnWhen, "Invalid return_when value: use FirstCompleted, FirstException or AllCompleted.");
        var distinct = Distinct(futures, nameof(futures));
        if (distinct.Count == 0)
            throw new ArgumentException("Set of Tasks/Futures is empty.", nameof(futures));
        return WaitCore(distinct, timeout, returnWhen);
    }

    /// <inheritdoc cref="Wait{TFuture}(IEnumerable{TFuture}, double?, ReturnWhen)"/>
    public static Coroutine<(IReadOnlyList<TFuture> Done, IReadOnlyList<TFuture> Pending)> Wait<TFuture>(
        IEnumerable<TFuture> futures, TimeSpan timeout, ReturnWhen returnWhen = ReturnWhen.AllCompleted)
        where TFuture : Future => Wait(futures, timeout.TotalSeconds, returnWhen);

    private static async Coroutine<(IReadOnlyList<TFuture> Done, IReadOnlyList<TFuture> Pending)> WaitCore<TFuture>(
        List<TFuture> futures, double? timeout, ReturnWhen returnWhen)
        where TFuture : Future
    {
        var loop = GetRunningLoop();
        var waiter = loop.CreateFuture<Unit>();
        var timeoutHandle = timeout is { } seconds ? loop.CallLater(Math.Max(seconds, 0), s_releaseWaiter, waiter) : default;
        var counter = futures.Count;
        void OnCompletion(Future future)
        {
            counter--;
            if (counter <= 0 || returnWhen == ReturnWhen.FirstCompleted
                || (returnWhen == ReturnWhen.FirstException && !future.Cancelled && future.Exception() is not null))
            {
                timeoutHandle.Cancel();
                s_releaseWaiter(waiter);
            }
        }
        Action<Future> onCompletion = OnCompletion;
        foreach (var future in futures)
            future.AddDoneCallback(onCompletion);
        try
        {
            await waiter;
        }
        finally
        {
            timeoutHandle.Cancel();
            foreach (var future in futures)
                future.RemoveDoneCallback(onCompletion);
        }
        var done = new List<TFuture>();
        var pending = new List<TFuture>();
        foreach (var future in futures)
            (future.Done ? done : pending).Add(future);
        return (done, pending);
    }

    private static readonly Action<Future<Unit>> s_releaseWaiter = static waiter =>
    {
        if (!waiter.Done)
            waiter.SetResult(Unit.Value);
    };

    /// <summary>The items in first-seen order, each once (by reference); none may be null.</summary>
    private static List<T> Distinct<T>(IEnumerable<T> items, string parameter)
        where T : class
    {
        var list = new List<T>();
        var seen = new Dictionary<T, bool>(ReferenceEqualityComparer.Instance);
        var index = 0;
        foreach (var item in items)
        {
            if (item is null)
                throw new ArgumentException($"Item {index} is null; a future or a task is required.", parameter);
            if (seen.TryAdd(item, true))
                list.Add(item);
            index++;
        }
        return list;
    }

    /// <summary>A timeout is seconds or null for none; any number but NaN (0 or less: already expired).</summary>
    private static void CheckTimeout(double? timeout, string parameter)
    {
        if (timeout is { } seconds && double.IsNaN(seconds))
            throw new ArgumentOutOfRangeException(parameter, seconds, "A timeout must be a number of seconds (0 or less: expire at once) or null for none, not NaN.");
    }
}

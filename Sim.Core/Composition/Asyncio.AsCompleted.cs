namespace Sim.Core;

public static partial class Asyncio
{
    /// <summary>
    /// Coroutines that give the futures' results in the order the futures complete (asyncio's
    /// <c>as_completed</c>): <c>foreach (var next in Asyncio.AsCompleted(tasks)) use(await next);</c>.
    /// A failure is raised by its own await. After <paramref name="timeout"/> seconds the awaits
    /// left raise <see cref="TimeoutException"/>; nothing is cancelled. A future given twice counts
    /// once. Like asyncio's generator, the sequence starts watching the futures when enumeration
    /// starts, which must be on the loop's thread.
    /// </summary>
    /// <exception cref="ArgumentException">A future is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="timeout"/> is NaN.</exception>
    public static IEnumerable<Coroutine<T>> AsCompleted<T>(IEnumerable<Future<T>> futures, double? timeout = null)
    {
        ArgumentNullException.ThrowIfNull(futures);
        CheckTimeout(timeout, nameof(timeout));
        return AsCompletedIterator(Distinct(futures, nameof(futures)), null, timeout);
    }

    /// <summary>Runs the coroutines as tasks (when enumeration starts) and gives their results in
    /// completion order; see <see cref="AsCompleted{T}(IEnumerable{Future{T}}, double?)"/>.</summary>
    public static IEnumerable<Coroutine<T>> AsCompleted<T>(IEnumerable<Coroutine<T>> coroutines, double? timeout = null)
    {
        ArgumentNullException.ThrowIfNull(coroutines);
        CheckTimeout(timeout, nameof(timeout));
        return AsCompletedIterator([], Distinct(coroutines, nameof(coroutines)), timeout);
    }

    /// <inheritdoc cref="AsCompleted{T}(IEnumerable{Future{T}}, double?)"/>
    public static IEnumerable<Coroutine<T>> AsCompleted<T>(IEnumerable<Future<T>> futures, TimeSpan timeout) =>
        AsCompleted(futures, timeout.TotalSeconds);

    private static IEnumerable<Coroutine<T>> AsCompletedIterator<T>(List<Future<T>> futures, List<Coroutine<T>>? coroutines, double? timeout)
    {
        var loop = futures.Count > 0 ? futures[0].GetLoop() : GetRunningLoop();
        if (coroutines is not null)
        {
            foreach (var coroutine in coroutines)
                futures.Add(loop.CreateTask(coroutine));
        }
        var queue = new AsCompletedQueue<T>(loop, [.. futures], timeout);
        for (var i = 0; i < futures.Count; i++)
            yield return queue.WaitForOne();
    }
}

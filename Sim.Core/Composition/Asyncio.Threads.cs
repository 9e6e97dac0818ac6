namespace Sim.Core;

public static partial class Asyncio
{
    /// <summary>
    /// Submits <paramref name="coroutine"/> to <paramref name="loop"/> from any thread (asyncio's
    /// <c>run_coroutine_threadsafe</c>): it becomes a task on the loop's thread, through
    /// <see cref="EventLoop.CallSoonThreadsafe(Action)"/>, and the returned .NET task completes
    /// like it (continuations run asynchronously, never on the loop's thread). Cancelling
    /// <paramref name="cancellationToken"/> cancels the returned task at once and the coroutine's
    /// task on the loop. <see cref="WrapFuture{T}(Task{T}, EventLoop?)"/> turns the result back
    /// into a future.
    /// </summary>
    /// <exception cref="InvalidOperationException">The loop is closed.</exception>
    public static Task<T> RunCoroutineThreadsafe<T>(Coroutine<T> coroutine, EventLoop loop, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(coroutine);
        ArgumentNullException.ThrowIfNull(loop);
        var submission = new ThreadsafeSubmission<T>(loop);
        loop.CallSoonThreadsafe(static state => state.Submission.Start(state.Coroutine), (Submission: submission, Coroutine: coroutine));
        submission.CancelWith(cancellationToken);
        return submission.Task;
    }

    /// <summary>
    /// Runs <paramref name="function"/> in the loop's default executor and returns its result
    /// (asyncio's <c>to_thread</c>): a thread pool on the real backend, a seeded virtual delay in
    /// simulation. Lazy, like any coroutine: nothing runs until it is awaited. Cancelling the
    /// awaiting task does not stop the function; its result is then dropped.
    /// </summary>
    public static Coroutine<T> ToThread<T>(Func<T> function)
    {
        ArgumentNullException.ThrowIfNull(function);
        return ToThreadCore(function);
    }

    /// <summary>Runs <paramref name="action"/> in the loop's default executor; see <see cref="ToThread{T}(Func{T})"/>.</summary>
    public static Coroutine ToThread(Action action)
    {
        ArgumentNullException.ThrowIfNull(action);
        return ToThreadCore(action);
    }

    private static async Coroutine<T> ToThreadCore<T>(Func<T> function) => await GetRunningLoop().RunInExecutor(function);

    private static async Coroutine ToThreadCore(Action action) => await GetRunningLoop().RunInExecutor(action);
}

namespace Sim.Core;

public static partial class Asyncio
{
    /// <summary>
    /// Runs the coroutines as tasks and returns a future of their results in argument order
    /// (asyncio's <c>gather</c>). The first failure finishes the future at once, without
    /// cancelling the other children; cancelling the future cancels the children still running.
    /// </summary>
    /// <exception cref="InvalidOperationException">No loop is running.</exception>
    public static Future<T[]> Gather<T>(params Coroutine<T>[] coroutines)
    {
        ArgumentNullException.ThrowIfNull(coroutines);
        return GatherCore<T[]>(coroutines, returnExceptions: false, TypedCollector<T>.Instance);
    }

    /// <summary>A future of the futures' (or tasks') results in argument order; see
    /// <see cref="Gather{T}(Coroutine{T}[])"/>.</summary>
    public static Future<T[]> Gather<T>(params Future<T>[] futures)
    {
        ArgumentNullException.ThrowIfNull(futures);
        return GatherCore<T[]>(futures, returnExceptions: false, TypedCollector<T>.Instance);
    }

    /// <summary>The coroutines of a collection; see <see cref="Gather{T}(Coroutine{T}[])"/>.</summary>
    public static Future<T[]> Gather<T>(IEnumerable<Coroutine<T>> coroutines)
    {
        ArgumentNullException.ThrowIfNull(coroutines);
        return GatherCore<T[]>([.. coroutines], returnExceptions: false, TypedCollector<T>.Instance);
    }

    /// <summary>The futures (or tasks) of a collection; see <see cref="Gather{T}(Coroutine{T}[])"/>.</summary>
    public static Future<T[]> Gather<T>(IEnumerable<Future<T>> futures)
    {
        ArgumentNullException.ThrowIfNull(futures);
        return GatherCore<T[]>([.. futures], returnExceptions: false, TypedCollector<T>.Instance);
    }

    /// <summary>Gathers any mix of coroutines, futures and tasks, of any result types; a
    /// coroutine without a result gives null.</summary>
    /// <exception cref="ArgumentException">An argument is neither a coroutine nor a future.</exception>
    public static Future<object?[]> Gather(params object[] awaitables) => Gather(awaitables, returnExceptions: false);

    /// <summary>
    /// Gathers any mix of coroutines, futures and tasks. With <paramref name="returnExceptions"/>
    /// a failure takes the place of its result (a cancelled child gives a
    /// <see cref="CancelledError"/>) and the future always finishes with the full list, unless
    /// it was cancelled itself.
    /// </summary>
    /// <exception cref="ArgumentException">An argument is neither a coroutine nor a future.</exception>
    public static Future<object?[]> Gather(IEnumerable<object> awaitables, bool returnExceptions = false)
    {
        ArgumentNullException.ThrowIfNull(awaitables);
        return GatherCore<object?[]>(awaitables as object[] ?? [.. awaitables], returnExceptions, s_collectObjects);
    }

    private static readonly Func<Future[], bool, object?[]> s_collectObjects = static (children, returnExceptions) =>
    {
        var results = new object?[children.Length];
        for (var i = 0; i < children.Length; i++)
            results[i] = returnExceptions ? GatheringFuture<object?[]>.OutcomeOf(children[i]) : GatheringFuture<object?[]>.ResultOf(children[i]);
        return results;
    };

    /// <summary>The results of children that all succeeded, typed; one delegate per result type.</summary>
    private static class TypedCollector<T>
    {
        public static readonly Func<Future[], bool, T[]> Instance = static (children, _) =>
        {
            var results = new T[children.Length];
            for (var i = 0; i < children.Length; i++)
                results[i] = ((Future<T>)children[i]).Result();
            return results;
        };
    }

    private static Future<TResult> GatherCore<TResult>(object[] awaitables, bool returnExceptions, Func<Future[], bool, TResult> collect)
    {
        // Every argument is checked before any task starts: a bad one leaves nothing running.
        var loop = LoopOfAwaitables(awaitables, nameof(awaitables));
        if (awaitables.Length == 0)
        {
            var empty = loop.CreateFuture<TResult>();
            empty.SetResult(collect([], returnExceptions));
            return empty;
        }
        var children = new Future[awaitables.Length];
        var outer = new GatheringFuture<TResult>(loop, children, returnExceptions, collect);
        var onChildDone = new Action<Future>(outer.OnChildDone);
        Dictionary<object, Future>? doneAtOnce = null;
        for (var i = 0; i < awaitables.Length; i++)
        {
            var awaitable = awaitables[i];
            if (ChildAlreadyMade(awaitable, onChildDone, doneAtOnce) is not { } child)
            {
                child = awaitable as Future ?? ((CoroutineBase)awaitable).StartTaskOn(loop);
                outer.AddChild();
                child.AddDoneCallback(onChildDone);
                if (child.Done)
                    (doneAtOnce ??= new(ReferenceEqualityComparer.Instance)).Add(awaitable, child);
            }
            children[i] = child;
        }
        return outer;
    }

    /// <summary>
    /// One child per distinct argument, however often it is passed (asyncio's <c>arg_to_fut</c>),
    /// without a dictionary of every argument: a coroutine not yet awaited or wrapped was not
    /// passed before; a future, or the task of a coroutine passed before, was if it holds this
    /// gather's done-callback. A child done already when registered (its callback is scheduled,
    /// not held) is looked up in <paramref name="doneAtOnce"/>.
    /// </summary>
    private static Future? ChildAlreadyMade(object awaitable, Action<Future> onChildDone, Dictionary<object, Future>? doneAtOnce)
    {
        var candidate = awaitable switch
        {
            Future future => future,
            CoroutineBase { IsClaimed: true } coroutine => coroutine.Task as Future,
            _ => null,
        };
        if (candidate is null)
            return null;
        if (candidate.HasDoneCallback(onChildDone))
            return candidate;
        return doneAtOnce is not null && doneAtOnce.TryGetValue(awaitable, out var done) ? done : null;
    }

    /// <summary>
    /// The loop gather runs on, as asyncio's <c>_ensure_future</c> finds it: that of the first
    /// argument, the running loop when it is a coroutine. Every future must be of that loop.
    /// </summary>
    private static EventLoop LoopOfAwaitables(object[] awaitables, string parameter)
    {
        EventLoop? loop = null;
        for (var i = 0; i < awaitables.Length; i++)
        {
            switch (awaitables[i])
            {
                case Future future when loop is null || future.GetLoop() == loop:
                    loop = future.GetLoop();
                    break;
                case Future:
                    throw new ArgumentException($"Argument {i} belongs to a different loop than the arguments before it.", parameter);
                case CoroutineBase:
                    loop ??= GetRunningLoop();
                    break;
                case null:
                    throw new ArgumentException($"Argument {i} is null; a future, a task or a coroutine is required.", parameter);
                default:
                    throw new ArgumentException(
                        $"Argument {i} is a {awaitables[i].GetType().Name}; a future, a task or a coroutine is required (wrap a .NET Task with Asyncio.WrapFuture).",
                        parameter);
            }
        }
        return loop ?? GetRunningLoop();
    }
}

namespace Sim.Core;

/// <summary>
/// The state behind one <see cref="Asyncio.AsCompleted{T}(IEnumerable{Future{T}}, double?)"/>: the
/// futures not yet done, and a queue of those done (asyncio keeps an <c>asyncio.Queue</c>), into
/// which the timeout puts one "timed out" mark (null) per future left.
/// </summary>
internal sealed class AsCompletedQueue<T>
{
    private readonly EventLoop _loop;
    private readonly List<Future<T>> _todo;
    private readonly Queue<Future<T>?> _done = new();
    // Tasks waiting for the next completion, in arrival order (asyncio's Queue getters).
    private readonly Queue<Future<Unit>> _getters = new();
    private readonly Action<Future<T>> _onCompletion;
    private readonly TimerHandle _timeoutHandle;

    public AsCompletedQueue(EventLoop loop, List<Future<T>> todo, double? timeout)
    {
        _loop = loop;
        _todo = todo;
        _onCompletion = OnCompletion;
        foreach (var future in todo)
            future.AddDoneCallback(_onCompletion);
        if (todo.Count > 0 && timeout is { } seconds)
            _timeoutHandle = loop.CallLater(Math.Max(seconds, 0), static queue => queue.OnTimeout(), this);
    }

    /// <summary>The next future to complete, as its result: asyncio's <c>_wait_for_one</c>.</summary>
    /// <exception cref="TimeoutException">The timeout expired before another future completed.</exception>
    public async Coroutine<T> WaitForOne()
    {
        var next = await Get();
        if (next is null)
            throw new TimeoutException("as_completed's timeout expired before this future completed.");
        return next.Result();
    }

    private void OnCompletion(Future<T> future)
    {
        if (_todo.Count == 0)
            return;  // the timeout came first
        _todo.Remove(future);
        Put(future);
        if (_todo.Count == 0)
            _timeoutHandle.Cancel();
    }

    private void OnTimeout()
    {
        foreach (var future in _todo)
        {
            future.RemoveDoneCallback(_onCompletion);
            Put(null);
        }
        _todo.Clear();
    }

    private void Put(Future<T>? item)
    {
        _done.Enqueue(item);
        while (_getters.TryDequeue(out var getter))
        {
            if (!getter.Done)
            {
                getter.SetResult(Unit.Value);
                return;
            }
        }
    }

    /// <summary>asyncio's <c>Queue.get</c>: an item at once if there is one, else wait for a put; a
    /// getter cancelled after being woken passes its wake-up on.</summary>
    private async Coroutine<Future<T>?> Get()
    {
        while (_done.Count == 0)
        {
            var getter = _loop.CreateFuture<Unit>();
            _getters.Enqueue(getter);
            try
            {
                await getter;
            }
            catch
            {
                getter.Cancel();
                if (_done.Count > 0 && !getter.Cancelled)
                    WakeNextGetter();
                throw;
            }
        }
        return _done.Dequeue();
    }

    private void WakeNextGetter()
    {
        while (_getters.TryDequeue(out var getter))
        {
            if (!getter.Done)
            {
                getter.SetResult(Unit.Value);
                return;
            }
        }
    }
}

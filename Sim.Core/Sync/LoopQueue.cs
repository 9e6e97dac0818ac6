namespace Sim.Core;

/// <summary>
/// asyncio's <c>Queue</c>: a FIFO between tasks, bounded when <c>maxsize</c> &gt; 0. Waiting
/// getters and putters are served in arrival order; a waiter cancelled while it waits passes
/// its wake-up on, so no item and no wake-up is lost. Loop thread only.
/// </summary>
public class LoopQueue<T> : LoopBound
{
    private readonly WaiterQueue<Unit> _getters = new();
    private readonly WaiterQueue<Unit> _putters = new();
    private readonly LoopEvent _finished = new();
    private int _unfinishedTasks;

    /// <summary>A queue holding at most <paramref name="maxsize"/> items; 0 or less for no bound.</summary>
    public LoopQueue(int maxsize = 0)
    {
        Maxsize = maxsize;
        _finished.Set();
    }

    /// <summary>The bound given at construction (0 or less: unbounded).</summary>
    public int Maxsize { get; }

    /// <summary>The number of items queued.</summary>
    public int Qsize() => Count;

    /// <summary>True when no item is queued.</summary>
    public bool Empty() => Count == 0;

    /// <summary>True when the queue holds <see cref="Maxsize"/> items.</summary>
    public bool Full() => Maxsize > 0 && Count >= Maxsize;

    /// <summary>Puts an item, waiting for a free slot while the queue is full.</summary>
    public async Coroutine Put(T item)
    {
        while (Full())
        {
            var putter = GetLoop().CreateFuture<Unit>();
            _putters.Enqueue(putter);
            try
            {
                await putter;
            }
            catch
            {
                GiveUpTurn(_putters, putter, stillBlocked: Full());
                throw;
            }
        }
        PutNowait(item);
    }

    /// <summary>Puts an item without waiting.</summary>
    /// <exception cref="QueueFullException">The queue is full.</exception>
    public void PutNowait(T item)
    {
        if (Full())
            throw new QueueFullException();
        Add(item);
        _unfinishedTasks++;
        _finished.Clear();
        _getters.WakeNext(Unit.Value);
    }

    /// <summary>Removes and returns an item, waiting while the queue is empty.</summary>
    public async Coroutine<T> Get()
    {
        while (Empty())
        {
            var getter = GetLoop().CreateFuture<Unit>();
            _getters.Enqueue(getter);
            try
            {
                await getter;
            }
            catch
            {
                GiveUpTurn(_getters, getter, stillBlocked: Empty());
                throw;
            }
        }
        return GetNowait();
    }

    /// <summary>Removes and returns an item without waiting.</summary>
    /// <exception cref="QueueEmptyException">The queue is empty.</exception>
    public T GetNowait()
    {
        if (Empty())
            throw new QueueEmptyException();
        var item = Take();
        _putters.WakeNext(Unit.Value);
        return item;
    }

    /// <summary>Marks one item taken with <c>Get</c> as processed; <see cref="Join"/> returns when all are.</summary>
    /// <exception cref="InvalidOperationException">Called more times than items were put.</exception>
    public void TaskDone()
    {
        if (_unfinishedTasks <= 0)
            throw new InvalidOperationException("TaskDone() called too many times");
        if (--_unfinishedTasks == 0)
            _finished.Set();
    }

    /// <summary>Waits until every item put has been marked done with <see cref="TaskDone"/>.</summary>
    public async Coroutine Join()
    {
        if (_unfinishedTasks > 0)
            await _finished.Wait();
    }

    /// <summary>The number of items queued.</summary>
    protected virtual int Count => _items.Count;

    /// <summary>Stores an item (FIFO here; priority and LIFO queues override).</summary>
    protected virtual void Add(T item) => _items.Enqueue(item);

    /// <summary>Removes the next item to hand out.</summary>
    protected virtual T Take() => _items.Dequeue();

    private readonly Queue<T> _items = new();

    /// <summary>
    /// A waiter leaves the line (cancelled, or failed): if it had already been woken, its
    /// wake-up goes to the next waiter, so none is lost (asyncio's rule).
    /// </summary>
    private static void GiveUpTurn(WaiterQueue<Unit> waiters, Future<Unit> waiter, bool stillBlocked)
    {
        waiter.Cancel();
        waiters.Remove(waiter);
        if (!stillBlocked && !waiter.Cancelled)
            waiters.WakeNext(Unit.Value);
    }
}

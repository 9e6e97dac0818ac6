namespace Sim.Core;

/// <summary>
/// asyncio's <c>Queue</c>: a FIFO between tasks, bounded when <c>maxsize</c> &gt; 0. Waiting
/// getters and putters are served in arrival order; a waiter cancelled while it waits passes
/// its wake-up on, so no item and no wake-up is lost. Loop thread only.
/// </summary>
public class LoopQueue<T> : LoopBound
{
    private readonly LinkedList<Future<Unit>> _getters = new();
    private readonly LinkedList<Future<Unit>> _putters = new();
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
            await WaitInLine(_putters, Full);
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
        WakeupNext(_getters);
    }

    /// <summary>Removes and returns an item, waiting while the queue is empty.</summary>
    public async Coroutine<T> Get()
    {
        while (Empty())
            await WaitInLine(_getters, Empty);
        return GetNowait();
    }

    /// <summary>Removes and returns an item without waiting.</summary>
    /// <exception cref="QueueEmptyException">The queue is empty.</exception>
    public T GetNowait()
    {
        if (Empty())
            throw new QueueEmptyException();
        var item = Take();
        WakeupNext(_putters);
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

    /// <summary>Waits for a wake-up; if cancelled, passes a wake-up it may have received to the next waiter.</summary>
    private async Coroutine WaitInLine(LinkedList<Future<Unit>> waiters, Func<bool> stillBlocked)
    {
        var waiter = GetLoop().CreateFuture<Unit>();
        var node = waiters.AddLast(waiter);
        try
        {
            await waiter;
        }
        catch
        {
            waiter.Cancel();
            if (node.List is not null)
                waiters.Remove(node);
            if (!stillBlocked() && !waiter.Cancelled)
                WakeupNext(waiters);
            throw;
        }
    }

    private static void WakeupNext(LinkedList<Future<Unit>> waiters)
    {
        while (waiters.First is { } first)
        {
            waiters.RemoveFirst();
            if (!first.Value.Done)
            {
                first.Value.SetResult(Unit.Value);
                break;
            }
        }
    }
}

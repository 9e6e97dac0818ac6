using System.Diagnostics;

namespace Sim.Core;

/// <summary>
/// asyncio's <c>Queue</c>: a FIFO between tasks, bounded when <c>maxsize</c> &gt; 0. Waiting
/// getters and putters are served in arrival order; a waiter cancelled after it was woken
/// passes its wake-up on, so no item is lost or taken twice and no wake-up is lost.
/// <see cref="Shutdown"/> (Python 3.13) makes puts raise <see cref="QueueShutDownException"/>,
/// and gets too once the queue is empty. Subclasses choose the order by overriding
/// <see cref="Count"/>, <see cref="Add"/> and <see cref="Take"/> (asyncio's <c>_put</c>/<c>_get</c>).
/// Loop thread only.
/// </summary>
[DebuggerDisplay("{ToString(),nq}")]
public partial class LoopQueue<T> : LoopBound
{
    private readonly WaiterQueue _getters = new();
    private readonly WaiterQueue _putters = new();
    private readonly LoopEvent _finished = new();
    private readonly Queue<T>? _items;
    private SpareOperation<GetCoroutine> _spareGet;
    private SpareOperation<PutCoroutine> _sparePut;
    private int _unfinishedTasks;
    private bool _isShutdown;

    /// <summary>A queue holding at most <paramref name="maxsize"/> items; 0 or less for no bound.</summary>
    public LoopQueue(int maxsize = 0) : this(maxsize, ownStorage: true) { }

    /// <summary>For subclasses that keep the items themselves.</summary>
    private protected LoopQueue(int maxsize, bool ownStorage)
    {
        Maxsize = maxsize;
        _items = ownStorage ? new Queue<T>() : null;
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

    /// <summary>True once <see cref="Shutdown"/> was called.</summary>
    public bool IsShutdown => _isShutdown;

    /// <summary>Puts an item, waiting for a free slot while the queue is full.</summary>
    /// <exception cref="QueueShutDownException">The queue is shut down (also while this put waits).</exception>
    public Coroutine Put(T item)
    {
        var put = _sparePut.Take(this) ?? new PutCoroutine(this);
        put.Item = item;
        return put;
    }

    /// <summary>Puts an item without waiting.</summary>
    /// <exception cref="QueueFullException">The queue is full.</exception>
    /// <exception cref="QueueShutDownException">The queue is shut down.</exception>
    public void PutNowait(T item)
    {
        CheckThread();
        if (_isShutdown)
            throw new QueueShutDownException();
        if (Full())
            throw new QueueFullException();
        AddAndWakeGetter(item);
    }

    /// <summary>The put itself, once it is known to be allowed: store, count, wake a getter.</summary>
    private void AddAndWakeGetter(T item)
    {
        Add(item);
        _unfinishedTasks++;
        if (_finished.IsSet)
            _finished.Clear();
        _getters.PopAndWakeNext();
    }

    /// <summary>Removes and returns an item, waiting while the queue is empty.</summary>
    /// <exception cref="QueueShutDownException">The queue is shut down and empty (also while this get waits).</exception>
    public Coroutine<T> Get() => _spareGet.Take(this) ?? new GetCoroutine(this);

    /// <summary>Removes and returns an item without waiting.</summary>
    /// <exception cref="QueueEmptyException">The queue is empty.</exception>
    /// <exception cref="QueueShutDownException">The queue is shut down and empty.</exception>
    public T GetNowait()
    {
        CheckThread();
        if (Empty())
        {
            if (_isShutdown)
                throw new QueueShutDownException();
            throw new QueueEmptyException();
        }
        return TakeAndWakePutter();
    }

    /// <summary>The get itself, once an item is known to be there: take it, wake a putter.</summary>
    private T TakeAndWakePutter()
    {
        var item = Take();
        _putters.PopAndWakeNext();
        return item;
    }

    /// <summary>Marks one item taken with <c>Get</c> as processed; <see cref="Join"/> returns when all are.</summary>
    /// <exception cref="InvalidOperationException">Called more times than items were put.</exception>
    public void TaskDone()
    {
        CheckThread();
        if (_unfinishedTasks <= 0)
            throw new InvalidOperationException("TaskDone() called too many times: once per item taken with Get(), after processing it.");
        if (--_unfinishedTasks == 0)
            _finished.Set();
    }

    /// <summary>Waits until every item put has been marked done with <see cref="TaskDone"/>.</summary>
    public async Coroutine Join()
    {
        if (_unfinishedTasks > 0)
            await _finished.Wait();
    }

    /// <summary>
    /// Shuts the queue down: puts raise <see cref="QueueShutDownException"/> from now on, gets
    /// once the queue is empty, and every blocked put and get wakes up to find out. With
    /// <paramref name="immediate"/>, the queued items are dropped (each counting as done for
    /// <see cref="Join"/>) so gets raise at once.
    /// </summary>
    public void Shutdown(bool immediate = false)
    {
        CheckThread();
        _isShutdown = true;
        if (immediate)
        {
            while (!Empty())
            {
                Take();
                if (_unfinishedTasks > 0)
                    _unfinishedTasks--;
            }
            if (_unfinishedTasks == 0)
                _finished.Set();
        }
        _getters.WakeAllAndClear();
        _putters.WakeAllAndClear();
    }

    /// <summary>asyncio's str: <c>&lt;LoopQueue maxsize=0 _getters[1] tasks=2&gt;</c>.</summary>
    public override string ToString() =>
        $"<{TypeName} maxsize={Maxsize}{(Count > 0 ? $" qsize={Count}" : "")}"
        + $"{(_getters.Count > 0 ? $" _getters[{_getters.Count}]" : "")}{(_putters.Count > 0 ? $" _putters[{_putters.Count}]" : "")}"
        + $"{(_unfinishedTasks > 0 ? $" tasks={_unfinishedTasks}" : "")}{(_isShutdown ? " shutdown" : "")}>";

    /// <summary>The number of items queued.</summary>
    protected virtual int Count => _items!.Count;

    /// <summary>Stores an item (at the back here; priority and LIFO queues override).</summary>
    protected virtual void Add(T item) => _items!.Enqueue(item);

    /// <summary>Removes the next item to hand out (the oldest here).</summary>
    protected virtual T Take() => _items!.Dequeue();
}

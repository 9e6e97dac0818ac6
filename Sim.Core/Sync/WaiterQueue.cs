namespace Sim.Core;

/// <summary>
/// Futures of tasks waiting in line (asyncio's deque of waiters), in arrival order: a ring that
/// grows, with no allocation a waiter. A waiter that gave up (done or cancelled) is skipped when
/// its turn comes, or removed by <see cref="Remove"/>.
/// </summary>
internal sealed class WaiterQueue<T>
{
    private Future<T>[] _items = new Future<T>[4];
    private int _head;
    private int _count;

    public int Count => _count;

    public void Enqueue(Future<T> waiter)
    {
        if (_count == _items.Length)
            Grow();
        _items[(_head + _count++) & (_items.Length - 1)] = waiter;
    }

    /// <summary>Removes <paramref name="waiter"/> wherever it stands; false if it is not queued.</summary>
    public bool Remove(Future<T> waiter)
    {
        for (var i = 0; i < _count; i++)
        {
            if (!ReferenceEquals(_items[(_head + i) & (_items.Length - 1)], waiter))
                continue;
            for (var j = i; j < _count - 1; j++)
                _items[(_head + j) & (_items.Length - 1)] = _items[(_head + j + 1) & (_items.Length - 1)];
            _items[(_head + --_count) & (_items.Length - 1)] = null!;
            return true;
        }
        return false;
    }

    /// <summary>Completes the first waiter still pending with <paramref name="value"/>; false when none is.</summary>
    public bool WakeNext(T value)
    {
        while (_count > 0)
        {
            var waiter = _items[_head];
            _items[_head] = null!;
            _head = (_head + 1) & (_items.Length - 1);
            _count--;
            if (!waiter.Done)
            {
                waiter.SetResult(value);
                return true;
            }
        }
        return false;
    }

    private void Grow()
    {
        var larger = new Future<T>[_items.Length * 2];
        for (var i = 0; i < _count; i++)
            larger[i] = _items[(_head + i) & (_items.Length - 1)];
        _items = larger;
        _head = 0;
    }
}

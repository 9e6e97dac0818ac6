using System.Diagnostics;

namespace Sim.Core;

/// <summary>
/// A primitive's line of waiting tasks (asyncio's deque of waiter futures), in arrival order: a
/// power-of-two ring that grows and never allocates a waiter. Entries that are done (woken or
/// cancelled) stay until they are removed or popped, as in asyncio, and the wake-up operations
/// skip them.
/// </summary>
internal sealed class WaiterQueue
{
    private ILineWaiter[] _items = [];
    private int _head;
    private int _count;

    public int Count => _count;

    /// <summary>The waiter at <paramref name="index"/> from the front.</summary>
    public ILineWaiter this[int index]
    {
        get
        {
            Debug.Assert((uint)index < (uint)_count, "index outside the line");
            return _items[(_head + index) & (_items.Length - 1)];
        }
    }

    public void Enqueue(ILineWaiter waiter)
    {
        if (_count == _items.Length)
            Grow();
        _items[(_head + _count++) & (_items.Length - 1)] = waiter;
    }

    /// <summary>Removes <paramref name="waiter"/> wherever it stands; false if it is not in the
    /// line. The waiter that removes itself is usually at the front: that costs O(1).</summary>
    public bool Remove(ILineWaiter waiter)
    {
        var mask = _items.Length - 1;
        for (var i = 0; i < _count; i++)
        {
            if (!ReferenceEquals(_items[(_head + i) & mask], waiter))
                continue;
            if (i < _count / 2)
            {
                // Close the gap from the front: the entries before it move back one slot.
                for (var j = i; j > 0; j--)
                    _items[(_head + j) & mask] = _items[(_head + j - 1) & mask];
                _items[_head] = null!;
                _head = (_head + 1) & mask;
            }
            else
            {
                for (var j = i; j < _count - 1; j++)
                    _items[(_head + j) & mask] = _items[(_head + j + 1) & mask];
                _items[(_head + _count - 1) & mask] = null!;
            }
            _count--;
            return true;
        }
        return false;
    }

    /// <summary>Pops waiters from the front until one is not done and wakes it; false when the
    /// line ran out (asyncio's <c>Queue._wakeup_next</c>).</summary>
    public bool PopAndWakeNext()
    {
        while (_count > 0)
        {
            var waiter = PopFront();
            if (!waiter.Done)
            {
                waiter.Wake();
                return true;
            }
        }
        return false;
    }

    /// <summary>Wakes the first waiter that is not done, leaving it in the line; false when
    /// there is none.</summary>
    public bool WakeFirstPending() => WakePending(1) == 1;

    /// <summary>Wakes up to <paramref name="n"/> waiters that are not done, front first, leaving
    /// them in the line; returns how many it woke.</summary>
    public int WakePending(int n)
    {
        var woken = 0;
        for (var i = 0; i < _count && woken < n; i++)
        {
            var waiter = this[i];
            if (waiter.Done)
                continue;
            waiter.Wake();
            woken++;
        }
        return woken;
    }

    /// <summary>Empties the line, waking every waiter that is not done, front first.</summary>
    public void WakeAllAndClear()
    {
        while (_count > 0)
        {
            var waiter = PopFront();
            if (!waiter.Done)
                waiter.Wake();
        }
    }

    /// <summary>True when every waiter in the line was cancelled (or the line is empty).</summary>
    public bool AllCancelled()
    {
        for (var i = 0; i < _count; i++)
        {
            if (!this[i].Cancelled)
                return false;
        }
        return true;
    }

    private ILineWaiter PopFront()
    {
        var waiter = _items[_head];
        _items[_head] = null!;
        _head = (_head + 1) & (_items.Length - 1);
        _count--;
        return waiter;
    }

    private void Grow()
    {
        // A line is often never used (an uncontended lock): the ring starts empty.
        var larger = new ILineWaiter[Math.Max(4, _items.Length * 2)];
        for (var i = 0; i < _count; i++)
            larger[i] = this[i];
        _items = larger;
        _head = 0;
    }
}

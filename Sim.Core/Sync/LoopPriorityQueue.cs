namespace Sim.Core;

/// <summary>
/// asyncio's <c>PriorityQueue</c>: hands out the smallest item first, by
/// <see cref="IComparer{T}"/> (the default comparer when none is given). Items that compare equal
/// come out in the order they were put (asyncio compares whole tuples instead; here ties never
/// depend on anything but arrival). Loop thread only.
/// </summary>
public sealed class LoopPriorityQueue<T> : LoopQueue<T>
{
    private readonly IComparer<T> _comparer;
    private Entry[] _heap = [];
    private int _count;
    private long _nextSequence;

    /// <summary>A priority queue holding at most <paramref name="maxsize"/> items (0 or less: no
    /// bound), ordered by <paramref name="comparer"/>.</summary>
    public LoopPriorityQueue(int maxsize = 0, IComparer<T>? comparer = null) : base(maxsize, ownStorage: false) =>
        _comparer = comparer ?? Comparer<T>.Default;

    /// <inheritdoc/>
    protected override int Count => _count;

    /// <inheritdoc/>
    protected override void Add(T item)
    {
        if (_count == _heap.Length)
            Array.Resize(ref _heap, Math.Max(4, _heap.Length * 2));
        var entry = new Entry(item, _nextSequence++);
        var i = _count++;
        while (i > 0)
        {
            var parent = (i - 1) / 2;
            if (!Before(entry, _heap[parent]))
                break;
            _heap[i] = _heap[parent];
            i = parent;
        }
        _heap[i] = entry;
    }

    /// <inheritdoc/>
    protected override T Take()
    {
        var top = _heap[0].Item;
        var last = _heap[--_count];
        _heap[_count] = default;
        if (_count > 0)
            SiftDown(last);
        return top;
    }

    /// <summary>Puts <paramref name="last"/> where the root was and moves it down to its place.</summary>
    private void SiftDown(Entry last)
    {
        var i = 0;
        while (true)
        {
            var child = 2 * i + 1;
            if (child >= _count)
                break;
            if (child + 1 < _count && Before(_heap[child + 1], _heap[child]))
                child++;
            if (!Before(_heap[child], last))
                break;
            _heap[i] = _heap[child];
            i = child;
        }
        _heap[i] = last;
    }

    /// <summary>The total order of the heap: by the comparer, then by arrival.</summary>
    private bool Before(in Entry a, in Entry b)
    {
        var order = _comparer.Compare(a.Item, b.Item);
        return order < 0 || (order == 0 && a.Sequence < b.Sequence);
    }

    private readonly record struct Entry(T Item, long Sequence);
}

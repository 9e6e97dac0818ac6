namespace Sim.Core;

/// <summary>asyncio's <c>LifoQueue</c>: hands out the item put last first. Loop thread only.</summary>
public sealed class LoopLifoQueue<T> : LoopQueue<T>
{
    private readonly Stack<T> _items = new();

    /// <summary>A LIFO queue holding at most <paramref name="maxsize"/> items; 0 or less for no bound.</summary>
    public LoopLifoQueue(int maxsize = 0) : base(maxsize, ownStorage: false) { }

    /// <inheritdoc/>
    protected override int Count => _items.Count;

    /// <inheritdoc/>
    protected override void Add(T item) => _items.Push(item);

    /// <inheritdoc/>
    protected override T Take() => _items.Pop();
}

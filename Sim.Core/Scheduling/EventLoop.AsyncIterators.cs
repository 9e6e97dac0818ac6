namespace Sim.Core;

public sealed partial class EventLoop
{
    // Open iterators in the order they started (a sorted set on a creation number: no hash order).
    private readonly SortedDictionary<long, IAsyncDisposable> _openIterators = [];
    private long _iteratorCounter;
    private bool _asyncGensShutdownCalled;

    /// <summary>
    /// Registers <paramref name="source"/>'s iterators with the loop (asyncio's async-generator
    /// hooks): each enumerator is remembered from its first <c>MoveNextAsync</c> until it is
    /// disposed of, and <see cref="ShutdownAsyncGens"/> disposes of those still open.
    /// .NET offers no hook on iterator creation, so iterators opt in through this call.
    /// </summary>
    public IAsyncEnumerable<T> TrackAsyncIterator<T>(IAsyncEnumerable<T> source)
    {
        ArgumentNullException.ThrowIfNull(source);
        return new TrackedAsyncEnumerable<T>(this, source);
    }

    /// <summary>
    /// Disposes of every tracked iterator still open, oldest first (asyncio's
    /// <c>shutdown_asyncgens</c>); an error while closing one goes to the exception handler.
    /// Iterators started afterwards are refused.
    /// </summary>
    public Coroutine ShutdownAsyncGens()
    {
        _asyncGensShutdownCalled = true;
        return CloseOpenIterators();
    }

    private async Coroutine CloseOpenIterators()
    {
        var open = _openIterators.Values.ToList();
        _openIterators.Clear();
        foreach (var iterator in open)
        {
            try
            {
                await WrapTask(iterator.DisposeAsync().AsTask());
            }
            catch (Exception exception)
            {
                CallExceptionHandler(new ExceptionContext("an error occurred during closing of asynchronous generator", exception));
            }
        }
    }

    private long OnIteratorStarted(IAsyncDisposable iterator)
    {
        if (_asyncGensShutdownCalled)
            throw new InvalidOperationException("The event loop's async iterators were shut down; no new one can start.");
        var number = ++_iteratorCounter;
        _openIterators.Add(number, iterator);
        return number;
    }

    private void OnIteratorClosed(long number) => _openIterators.Remove(number);

    private sealed class TrackedAsyncEnumerable<T>(EventLoop loop, IAsyncEnumerable<T> source) : IAsyncEnumerable<T>
    {
        public IAsyncEnumerator<T> GetAsyncEnumerator(CancellationToken cancellationToken = default) =>
            new Enumerator(loop, source.GetAsyncEnumerator(cancellationToken));

        private sealed class Enumerator(EventLoop loop, IAsyncEnumerator<T> inner) : IAsyncEnumerator<T>
        {
            private long _number;

            public T Current => inner.Current;

            public ValueTask<bool> MoveNextAsync()
            {
                if (_number == 0)
                    _number = loop.OnIteratorStarted(this);
                return inner.MoveNextAsync();
            }

            public ValueTask DisposeAsync()
            {
                if (_number != 0)
                    loop.OnIteratorClosed(_number);
                _number = -1;
                return inner.DisposeAsync();
            }
        }
    }
}

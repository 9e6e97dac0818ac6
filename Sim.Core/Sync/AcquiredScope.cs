namespace Sim.Core;

/// <summary>
/// A lock or semaphore held for a <c>using</c> block (asyncio's <c>async with lock:</c>):
/// disposing it releases the primitive once. Returned by <c>Hold()</c>; dispose it exactly once.
/// </summary>
public readonly struct AcquiredScope : IDisposable, IAsyncDisposable
{
    private readonly IReleasable _held;

    internal AcquiredScope(IReleasable held) => _held = held;

    /// <summary>Releases the primitive.</summary>
    public void Dispose() => Held.Release();

    /// <summary>Releases the primitive (synchronously: the returned task is complete), for <c>await using</c>.</summary>
    public ValueTask DisposeAsync()
    {
        Held.Release();
        return default;
    }

    private IReleasable Held =>
        _held ?? throw new InvalidOperationException("This scope was not returned by Hold(): there is nothing to release.");
}

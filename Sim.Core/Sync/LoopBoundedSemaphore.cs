namespace Sim.Core;

/// <summary>
/// asyncio's <c>BoundedSemaphore</c>: a <see cref="LoopSemaphore"/> whose <c>Release</c> raises
/// instead of raising the count above its initial value, which catches a release without an
/// acquire. Loop thread only.
/// </summary>
public sealed class LoopBoundedSemaphore : LoopSemaphore
{
    /// <summary>A semaphore with <paramref name="value"/> units, never more.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="value"/> is negative.</exception>
    public LoopBoundedSemaphore(int value = 1) : base(value, value) { }
}

namespace Sim.Core;

/// <summary>
/// A <see cref="LoopBarrier"/> was reset or aborted while a task waited at it, or a task waits at
/// a broken barrier (asyncio's <c>BrokenBarrierError</c>).
/// </summary>
public sealed class BrokenBarrierException : InvalidOperationException
{
    public BrokenBarrierException() : base("The barrier is broken.") { }

    public BrokenBarrierException(string message) : base(message) { }

    public BrokenBarrierException(string message, Exception innerException) : base(message, innerException) { }
}

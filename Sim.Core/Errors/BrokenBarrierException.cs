namespace Sim.Core;

/// <summary>
/// A <see cref="LoopBarrier"/> was reset or aborted while a task waited at it, or a task waits at
/// a broken barrier (asyncio's <c>BrokenBarrierError</c>).
/// </summary>
public sealed class BrokenBarrierException : InvalidOperationException
{
    /// <summary>Creates the exception with its default message.</summary>
    public BrokenBarrierException() : base("The barrier is broken.") { }

    /// <summary>Creates the exception with <paramref name="message"/>.</summary>
    public BrokenBarrierException(string message) : base(message) { }

    /// <summary>Creates the exception with <paramref name="message"/> and the exception that caused it.</summary>
    public BrokenBarrierException(string message, Exception innerException) : base(message, innerException) { }
}

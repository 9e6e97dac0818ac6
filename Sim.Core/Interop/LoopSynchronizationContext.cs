namespace Sim.Core;

/// <summary>
/// Installed on the loop's thread while it runs, so that .NET code that captures the context
/// (an awaited <see cref="Task"/>, a <see cref="Progress{T}"/>) continues on the loop, through
/// <c>CallSoon</c> (or <c>CallSoonThreadsafe</c> from other threads).
/// </summary>
internal sealed class LoopSynchronizationContext(EventLoop loop) : SynchronizationContext
{
    public EventLoop Loop { get; } = loop;

    public override void Post(SendOrPostCallback d, object? state)
    {
        ArgumentNullException.ThrowIfNull(d);
        if (Loop.IsOnLoopThread)
            Loop.CallSoon(() => d(state));
        else
            Loop.CallSoonThreadsafe(() => d(state));
    }

    public override void Send(SendOrPostCallback d, object? state)
    {
        ArgumentNullException.ThrowIfNull(d);
        if (!Loop.IsOnLoopThread)
            throw new NotSupportedException("Send would block another thread on the event loop; use Post.");
        d(state);
    }

    public override SynchronizationContext CreateCopy() => this;
}

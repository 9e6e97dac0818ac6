namespace Sim.Core;

/// <summary>
/// What a task waits on and cancels when it is cancelled (CPython's <c>_fut_waiter</c>): a
/// future, or a sleep, which needs no future of its own.
/// </summary>
internal interface ITaskWaitTarget
{
    /// <summary>Cancels the wait, waking the task; false when it already ended.</summary>
    bool Cancel(string? message);

    /// <summary>True once the wait was cancelled.</summary>
    bool Cancelled { get; }
}

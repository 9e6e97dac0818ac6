namespace Sim.Core;

/// <summary>
/// The part of a task that coroutines talk to: where the innermost coroutine suspended, and what
/// to throw at the suspension point when the task resumes (CPython's <c>Task.__step</c>).
/// </summary>
internal interface ITaskDriver : ILoopTask
{
    EventLoop Loop { get; }

    /// <summary>The task waits on <paramref name="future"/>; <paramref name="resume"/> continues once it is done.</summary>
    void SuspendOnFuture(Future future, CoroutineBase resume);

    /// <summary>The task waits on a target that is not a future (a sleep); the target calls <see cref="Wake"/>.</summary>
    void SuspendOnTarget(ITaskWaitTarget target, CoroutineBase resume);

    /// <summary>Schedules the task's next step (through <c>CallSoon</c>).</summary>
    void Wake();

    /// <summary>A bare yield: the task steps again in the next iteration.</summary>
    void SuspendOnYield(CoroutineBase resume);

    /// <summary>A foreign awaitable (a .NET task): returns the continuation to give it.</summary>
    Action SuspendOnForeign(CoroutineBase resume);

    /// <summary>The exception to raise at the suspension point the task just resumed, consumed once.</summary>
    Exception? TakeThrowOnResume();

    string Describe();

    /// <summary>The task's slot in its loop's registry of pending tasks; -1 once unregistered.</summary>
    int TaskSlot { get; set; }
}

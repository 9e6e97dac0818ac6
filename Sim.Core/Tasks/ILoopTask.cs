namespace Sim.Core;

/// <summary>A task seen without its result type (<see cref="Asyncio.AllTasks"/>, <see cref="EventLoop.CurrentTask"/>).</summary>
public interface ILoopTask
{
    /// <summary>The task's name: the one given, or <c>Task-N</c> numbered per loop.</summary>
    string Name { get; set; }

    /// <summary>True once the task finished or was cancelled.</summary>
    bool Done { get; }

    /// <summary>True once the task was cancelled.</summary>
    bool Cancelled { get; }

    /// <summary>The task as a future, to await it or add callbacks.</summary>
    Future AsFuture();

    /// <summary>Requests cancellation: <see cref="CancelledError"/> is raised at the await where the task is suspended.</summary>
    bool Cancel(string? message = null);

    /// <summary>The number of cancellation requests not yet withdrawn with <see cref="Uncancel"/>.</summary>
    int Cancelling();

    /// <summary>Withdraws one cancellation request; returns the remaining count.</summary>
    int Uncancel();

    /// <summary>The coroutine the task runs.</summary>
    CoroutineBase GetCoro();

    /// <summary>The coroutines from the task's own down to the innermost one suspended.</summary>
    IReadOnlyList<string> GetStack();
}

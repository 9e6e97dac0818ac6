using System.Text;

namespace Sim.Core;

public sealed partial class EventLoop
{
    [ThreadStatic]
    private static ITaskDriver? s_steppingTask;

    // Pending tasks, in creation order: an intrusive doubly-linked list, O(1) either way and
    // deterministic to iterate (no hash order).
    private ITaskDriver? _firstTask;
    private ITaskDriver? _lastTask;
    private int _pendingTaskCount;
    private long _taskCounter;
    private ITaskDriver? _currentTask;

    /// <summary>The task whose step is running on the calling thread, if any.</summary>
    internal static ITaskDriver? SteppingTask => s_steppingTask;

    /// <summary>The task running now on this loop, or null between task steps.</summary>
    public ILoopTask? CurrentTask => _currentTask;

    /// <summary>The tasks of this loop that are not done, in creation order.</summary>
    public IReadOnlyList<ILoopTask> AllTasks()
    {
        var tasks = new List<ILoopTask>(_pendingTaskCount);
        for (var task = _firstTask; task is not null; task = task.NextTask)
            tasks.Add(task);
        return tasks;
    }

    internal long NextTaskNumber() => ++_taskCounter;

    internal void RegisterTask(ITaskDriver task)
    {
        task.PreviousTask = _lastTask;
        if (_lastTask is null)
            _firstTask = task;
        else
            _lastTask.NextTask = task;
        _lastTask = task;
        _pendingTaskCount++;
    }

    internal void UnregisterTask(ITaskDriver task)
    {
        if (task.PreviousTask is null)
            _firstTask = task.NextTask;
        else
            task.PreviousTask.NextTask = task.NextTask;
        if (task.NextTask is null)
            _lastTask = task.PreviousTask;
        else
            task.NextTask.PreviousTask = task.PreviousTask;
        task.PreviousTask = task.NextTask = null;
        _pendingTaskCount--;
    }

    internal void EnterTask(ITaskDriver task)
    {
        if (_currentTask is not null)
            throw new InvalidOperationException($"Cannot enter into task {task} while another task {_currentTask} is being executed.");
        _currentTask = task;
        s_steppingTask = task;
    }

    internal void LeaveTask(ITaskDriver task)
    {
        if (_currentTask != task)
            throw new InvalidOperationException($"Leaving task {task} does not match the current task {_currentTask}.");
        _currentTask = null;
        s_steppingTask = null;
    }

    private DeadlockException CreateDeadlockException()
    {
        var names = new List<string>();
        var message = new StringBuilder(
            "Deadlock: the loop has nothing to run and nothing can wake it (no ready callbacks, no timers, no I/O, no outside work in flight).");
        for (var task = _firstTask; task is not null; task = task.NextTask)
        {
            names.Add(task.Name);
            message.Append(names.Count == 1 ? " Pending tasks: " : ", ").Append(task.Describe());
        }
        if (names.Count == 0)
            message.Append(" No task is pending: was the loop run forever without a Stop?");
        var backendState = (_backend as IDeadlockDiagnostics)?.DescribeDeadlock();
        if (backendState is not null)
            message.Append(' ').Append(backendState);
        return new DeadlockException(message.ToString()) { PendingTasks = names, BackendState = backendState };
    }
}

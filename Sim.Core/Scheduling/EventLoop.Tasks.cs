using System.Text;

namespace Sim.Core;

public sealed partial class EventLoop
{
    // Pending tasks, in creation order: each task holds the index of its slot, so ending a task
    // clears one slot and touches no other task. Freed slots are squeezed out (in order) when the
    // array fills up at most half live, so iteration stays deterministic and in creation order.
    private ITaskDriver?[] _tasks = new ITaskDriver?[16];
    private int _tasksEnd;
    private int _pendingTaskCount;
    private long _taskCounter;
    private ITaskDriver? _currentTask;

    /// <summary>The task whose step is running on the calling thread, if any. A step runs only
    /// inside its loop's run, so this is the current task of the loop running on this thread.</summary>
    internal static ITaskDriver? SteppingTask => s_runningLoop?._currentTask;

    /// <summary>The task running now on this loop, or null between task steps.</summary>
    public ILoopTask? CurrentTask => _currentTask;

    /// <summary>The tasks of this loop that are not done, in creation order.</summary>
    public IReadOnlyList<ILoopTask> AllTasks()
    {
        var tasks = new List<ILoopTask>(_pendingTaskCount);
        for (var slot = 0; slot < _tasksEnd; slot++)
        {
            if (_tasks[slot] is { } task)
                tasks.Add(task);
        }
        return tasks;
    }

    internal long NextTaskNumber() => ++_taskCounter;

    internal void RegisterTask(ITaskDriver task)
    {
        if (_tasksEnd == _tasks.Length)
            MakeRoomForTask();
        task.TaskSlot = _tasksEnd;
        _tasks[_tasksEnd++] = task;
        _pendingTaskCount++;
    }

    internal void UnregisterTask(ITaskDriver task)
    {
        var slot = task.TaskSlot;
        System.Diagnostics.Debug.Assert(_tasks[slot] == task, "a task unregistered from a slot that is not its own");
        _tasks[slot] = null;
        task.TaskSlot = -1;
        _pendingTaskCount--;
        if (_pendingTaskCount == 0)
            _tasksEnd = 0;
        else if (slot == _tasksEnd - 1)
            _tasksEnd--;
    }

    /// <summary>The slots are all used: squeeze out the freed ones if at least half are free
    /// (keeping creation order), otherwise double the array.</summary>
    private void MakeRoomForTask()
    {
        if (_pendingTaskCount > _tasks.Length / 2)
        {
            Array.Resize(ref _tasks, _tasks.Length * 2);
            return;
        }
        var live = 0;
        for (var slot = 0; slot < _tasksEnd; slot++)
        {
            if (_tasks[slot] is not { } task)
                continue;
            task.TaskSlot = live;
            _tasks[live++] = task;
        }
        Array.Clear(_tasks, live, _tasksEnd - live);
        _tasksEnd = live;
    }

    internal void EnterTask(ITaskDriver task)
    {
        if (_currentTask is not null)
            throw new InvalidOperationException($"Cannot enter into task {task} while another task {_currentTask} is being executed.");
        _currentTask = task;
    }

    internal void LeaveTask(ITaskDriver task)
    {
        if (_currentTask != task)
            throw new InvalidOperationException($"Leaving task {task} does not match the current task {_currentTask}.");
        _currentTask = null;
    }

    private DeadlockException CreateDeadlockException()
    {
        var names = new List<string>();
        var message = new StringBuilder(
            "Deadlock: the loop has nothing to run and nothing can wake it (no ready callbacks, no timers, no I/O, no outside work in flight).");
        for (var slot = 0; slot < _tasksEnd; slot++)
        {
            if (_tasks[slot] is not { } task)
                continue;
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

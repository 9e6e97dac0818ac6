namespace Sim.Core;

/// <summary>
/// asyncio's <c>Runner</c>: owns a loop made by a factory, runs coroutines on it one at a time,
/// and on <see cref="Close"/> cancels the tasks still pending (and waits for them), finalises the
/// async iterators, shuts the default executor down and closes the loop.
/// </summary>
public sealed class Runner : IDisposable
{
    private readonly Func<EventLoop> _loopFactory;
    private readonly bool? _debug;
    private EventLoop? _loop;
    private bool _closed;

    /// <summary>A runner whose loop <paramref name="loopFactory"/> creates on first use
    /// (<c>Simulation</c>'s or <c>RealLoop</c>'s, for instance).</summary>
    public Runner(Func<EventLoop> loopFactory, bool? debug = null)
    {
        ArgumentNullException.ThrowIfNull(loopFactory);
        _loopFactory = loopFactory;
        _debug = debug;
    }

    /// <summary>The runner's loop, created on first use.</summary>
    /// <exception cref="InvalidOperationException">The runner is closed.</exception>
    public EventLoop GetLoop()
    {
        ObjectDisposedException.ThrowIf(_closed, this);
        if (_loop is null)
        {
            _loop = _loopFactory() ?? throw new InvalidOperationException("The loop factory returned null.");
            if (_debug is { } debug)
                _loop.Debug = debug;
        }
        return _loop;
    }

    /// <summary>Runs <paramref name="coroutine"/> to completion in a task of the runner's loop.</summary>
    /// <exception cref="InvalidOperationException">Called from a running event loop.</exception>
    public T Run<T>(Coroutine<T> coroutine)
    {
        ArgumentNullException.ThrowIfNull(coroutine);
        if (EventLoop.RunningLoopOnThisThread is not null)
            throw new InvalidOperationException("Runner.Run() cannot be called from a running event loop");
        var loop = GetLoop();
        return loop.RunUntilComplete(loop.CreateTask(coroutine));
    }

    /// <summary>Cancels what is left, finalises async iterators, shuts the executor down and
    /// closes the loop. Idempotent.</summary>
    public void Close()
    {
        if (_closed)
            return;
        _closed = true;
        if (_loop is not { } loop)
            return;
        try
        {
            CancelAllTasks(loop);
            loop.RunUntilComplete(loop.ShutdownAsyncGens());
            loop.RunUntilComplete(loop.ShutdownDefaultExecutor());
        }
        finally
        {
            loop.Close();
            _loop = null;
        }
    }

    /// <inheritdoc cref="Close"/>
    public void Dispose() => Close();

    /// <summary>asyncio's <c>_cancel_all_tasks</c>: cancel every pending task, wait until all are
    /// done, report those that failed with something other than the cancellation.</summary>
    private static void CancelAllTasks(EventLoop loop)
    {
        var tasks = loop.AllTasks();
        if (tasks.Count == 0)
            return;
        foreach (var task in tasks)
            task.Cancel();
        var allDone = loop.CreateFuture<Unit>();
        var left = tasks.Count;
        foreach (var task in tasks)
        {
            task.AsFuture().AddDoneCallback(_ =>
            {
                if (--left == 0)
                    allDone.SetResult(Unit.Value);
            });
        }
        loop.RunUntilComplete(allDone);
        foreach (var task in tasks)
        {
            if (!task.Cancelled && task.AsFuture().Exception() is { } error)
            {
                loop.CallExceptionHandler(new ExceptionContext("unhandled exception during asyncio.run() shutdown", error)
                {
                    Task = task,
                    Future = task.AsFuture(),
                });
            }
        }
    }
}

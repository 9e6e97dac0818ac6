namespace Sim.Core;

public sealed partial class EventLoop
{
    [ThreadStatic]
    private static EventLoop? s_runningLoop;

    private readonly LoopSynchronizationContext _synchronizationContext;
    private int _threadId;
    private bool _running;

    /// <summary>True while <see cref="RunForever"/> (or a <c>RunUntilComplete</c>) is executing.</summary>
    public bool IsRunning => _running;

    /// <summary>The loop running on the calling thread, or null.</summary>
    internal static EventLoop? RunningLoopOnThisThread => s_runningLoop;

    /// <summary>
    /// Runs iterations until <see cref="Stop"/> is called. A <see cref="Stop"/> before this call
    /// makes it run exactly one iteration, without waiting.
    /// </summary>
    /// <exception cref="InvalidOperationException">The loop is closed or already running, or
    /// another loop runs on this thread.</exception>
    /// <exception cref="DeadlockException">Nothing could ever run again (simulation).</exception>
    public void RunForever()
    {
        CheckClosed();
        CheckNotRunning();
        var previousContext = SynchronizationContext.Current;
        _running = true;
        _threadId = Environment.CurrentManagedThreadId;
        s_runningLoop = this;
        CountAsRunningDebugLoop(_debug);
        SynchronizationContext.SetSynchronizationContext(_synchronizationContext);
        try
        {
            while (true)
            {
                RunOnce();
                if (_stopping)
                    break;
            }
        }
        finally
        {
            CountAsRunningDebugLoop(false);
            _stopping = false;
            _running = false;
            _threadId = 0;
            s_runningLoop = null;
            SynchronizationContext.SetSynchronizationContext(previousContext);
        }
    }

    /// <summary>Stops the loop after the callbacks of the current iteration have run.</summary>
    public void Stop() => _stopping = true;

    /// <summary>
    /// One iteration, in the phases of docs/loop.md (asyncio's <c>_run_once</c>, libuv's <c>uv_run</c>).
    /// </summary>
    private void RunOnce()
    {
        _timers.DropCancelled();                                      // 1. drop cancelled timers
        var timeoutNs = ComputePollTimeout();                         // 2. how long Poll may wait
        if (!_backend.Poll(timeoutNs, OutsideWorkInFlight)            // 3. wait for I/O; the backend queues its callbacks
            && !Volatile.Read(ref _threadsafePending))                // (outside work that ended queued its callback first)
            throw CreateDeadlockException();
        MoveThreadsafeCallbacksToReady();
        MoveDueTimersToReady();                                       // 4. due timers, in (deadline, sequence) order
        RunReadyCallbacks();                                          // 5. run what was ready when this phase began
    }

    private long ComputePollTimeout()
    {
        if (_ready.Count > 0 || _timers.HasDue || _stopping || Volatile.Read(ref _threadsafePending))
            return 0;
        if (_timers.Count == 0)
            return IIoBackend.InfiniteTimeout;
        var untilDue = _timers.PeekWhenNs() - _clock.NowNs;
        return Math.Clamp(untilDue, 0, MaximumPollTimeoutNs);
    }

    /// <summary>Phase 4: the due timers become the due list, which phase 5 runs after the
    /// callbacks already ready (as if appended to the ready queue, without copying them there).</summary>
    private void MoveDueTimersToReady()
    {
        if (_timers.Count == 0)
            return;
        _timers.MoveDue(_clock.NowNs + _clockResolutionNs);
    }

    /// <summary>
    /// Phase 5, the only place callbacks are invoked: exactly the callbacks that were ready when
    /// the phase began run, then the due timers; whatever they schedule waits for the next iteration.
    /// </summary>
    private void RunReadyCallbacks()
    {
        var todo = _ready.Count;
        if (Debug || _tracer is not null)
        {
            RunReadyCallbacksObserved(todo);
            if (_timers.HasDue)
                RunDueTimersObserved();
            return;
        }
        // One protected region for the whole batch: a callback that throws is reported and the
        // batch carries on with the next one.
        while (todo > 0)
        {
            Callback callback = default;
            try
            {
                while (todo > 0)
                {
                    todo--;
                    if (_ready.TryDequeue(out callback))
                        callback.Invoke();
                }
            }
            catch (Exception exception)
            {
                ReportCallbackException(callback, exception);
            }
        }
        if (_timers.HasDue)
            RunDueTimers();
    }

    private void RunDueTimers()
    {
        while (true)
        {
            Callback callback = default;
            try
            {
                while (_timers.TryTakeDue(out callback))
                {
                    callback.Invoke();
                    if (callback.TimerId > 0)
                        _timers.Release(callback.TimerId);
                }
                return;
            }
            catch (Exception exception)
            {
                ReportCallbackException(callback, exception);
                if (callback.TimerId > 0)
                    _timers.Release(callback.TimerId);
            }
        }
    }

    /// <summary>Phase 5 in debug mode or with a tracer: each callback timed and announced.</summary>
    private void RunReadyCallbacksObserved(int todo)
    {
        for (; todo > 0; todo--)
        {
            if (_ready.TryDequeue(out var callback))
                RunObserved(callback);
        }
    }

    private void RunDueTimersObserved()
    {
        while (_timers.TryTakeDue(out var callback))
        {
            RunObserved(callback);
            if (callback.TimerId > 0)
                _timers.Release(callback.TimerId);
        }
    }

    private void RunObserved(in Callback callback)
    {
        var name = callback.ToString();
        _tracer?.CallbackRunning(this, name);
        var startNs = _clock.NowNs;
        try
        {
            callback.Invoke();
        }
        catch (Exception exception)
        {
            ReportCallbackException(callback, exception);
        }
        if (Debug)
            ReportIfSlow(name, _clock.NowNs - startNs);
    }

    /// <summary>A callback raised: the handler hears of it (with the timer's handle, for a
    /// timer) and the batch carries on.</summary>
    private void ReportCallbackException(in Callback callback, Exception exception)
    {
        var name = callback.ToString();
        TimerHandle? timer = callback.TimerId == 0 ? null : _timers.HandleOfTaken(callback.TimerId);
        CallExceptionHandler(new ExceptionContext($"Exception in callback {name}", exception)
        {
            Handle = timer is null ? _ready.LastDequeued : null,
            TimerHandle = timer,
            CallbackName = name,
        });
    }

    /// <summary>
    /// Runs <paramref name="future"/> to completion and returns its result (or throws its
    /// exception). The loop stops as soon as the future is done.
    /// </summary>
    public T RunUntilComplete<T>(Future<T> future)
    {
        ArgumentNullException.ThrowIfNull(future);
        CheckClosed();
        CheckNotRunning();
        if (future.GetLoop() != this)
            throw new ArgumentException("The future belongs to a different loop than the one asked to run it.", nameof(future));
        var stop = Sim.Core.Callback.Of(s_stopLoop, this);
        future.AddDoneCallbackCore(stop);
        try
        {
            RunForever();
        }
        finally
        {
            future.RemoveDoneCallbackCore(stop.Delegate!, stop.State);
        }
        if (!future.Done)
            throw new InvalidOperationException("Event loop stopped before Future completed.");
        return future.Result();
    }

    /// <summary>Wraps <paramref name="coroutine"/> in a task and runs it to completion.</summary>
    public T RunUntilComplete<T>(Coroutine<T> coroutine)
    {
        ArgumentNullException.ThrowIfNull(coroutine);
        CheckClosed();
        CheckNotRunning();
        return RunUntilComplete(CreateTask(coroutine));
    }

    /// <summary>Runs the loop until a .NET task completes, and returns its result.</summary>
    public T RunUntilComplete<T>(Task<T> task)
    {
        ArgumentNullException.ThrowIfNull(task);
        CheckClosed();
        CheckNotRunning();
        return RunUntilComplete(WrapTask(task));
    }

    /// <summary>Runs the loop until a .NET task completes.</summary>
    public void RunUntilComplete(Task task)
    {
        ArgumentNullException.ThrowIfNull(task);
        CheckClosed();
        CheckNotRunning();
        RunUntilComplete(WrapTask(task));
    }

    private static readonly Action<EventLoop> s_stopLoop = static loop => loop.Stop();

    /// <summary>
    /// Closes the loop: pending callbacks and timers are dropped, the default executor is shut
    /// down without waiting and the backend is disposed of. Idempotent.
    /// </summary>
    /// <exception cref="InvalidOperationException">The loop is running.</exception>
    public void Close()
    {
        if (_running)
            throw new InvalidOperationException("Cannot close a running event loop");
        if (_closed)
            return;
        if (Debug)
            ReportCoroutinesNeverAwaited();
        lock (_threadsafeLock)
            _closed = true;
        _ready.Clear();
        _timers.Clear();
        RemoveSignalHandlers();
        _defaultExecutor?.Shutdown(this, static () => { });
        _backend.Dispose();
    }

    private void CheckNotRunning()
    {
        if (_running)
            throw new InvalidOperationException("This event loop is already running");
        if (s_runningLoop is not null)
            throw new InvalidOperationException("Cannot run the event loop while another loop is running");
    }

    private void CheckThread()
    {
        if (_running && Environment.CurrentManagedThreadId != _threadId)
            throw new InvalidOperationException(
                "Non-thread-safe operation invoked on an event loop other than the current one; use CallSoonThreadsafe from other threads.");
    }

    /// <summary>True on the thread that is running this loop.</summary>
    internal bool IsOnLoopThread => _running && Environment.CurrentManagedThreadId == _threadId;
}

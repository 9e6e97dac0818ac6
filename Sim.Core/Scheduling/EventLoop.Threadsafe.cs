namespace Sim.Core;

public sealed partial class EventLoop
{
    private readonly Lock _threadsafeLock = new();
    private List<ThreadsafeCallback> _threadsafeIncoming = [];
    private List<ThreadsafeCallback> _threadsafeDraining = [];
    private bool _threadsafePending;
    private int _threadWork;
    private int _foreignAwaits;

    /// <summary>
    /// Schedules <paramref name="callback"/> from any thread and wakes the loop: the only
    /// thread-safe way into a loop. Called on the running loop's own thread it is
    /// <see cref="CallSoon(Action)"/>, in the same FIFO order.
    /// </summary>
    public Handle CallSoonThreadsafe(Action callback)
    {
        ArgumentNullException.ThrowIfNull(callback);
        return EnqueueThreadsafe(Sim.Core.Callback.Of(callback));
    }

    /// <summary>Schedules a callback with a state argument from any thread and wakes the loop.</summary>
    public Handle CallSoonThreadsafe<TState>(Action<TState> callback, TState state)
    {
        ArgumentNullException.ThrowIfNull(callback);
        return EnqueueThreadsafe(Sim.Core.Callback.Of(callback, state));
    }

    /// <summary>Marks the start of a wait on a foreign awaitable (a .NET task) whose completion may
    /// come from another thread or from the loop itself: until <see cref="EndOutsideWork"/>, a
    /// simulated backend with nothing else to do waits for it rather than report a deadlock.
    /// Thread-safe.</summary>
    internal void BeginOutsideWork() => Interlocked.Increment(ref _foreignAwaits);

    internal void EndOutsideWork() => Interlocked.Decrement(ref _foreignAwaits);

    /// <summary>Foreign awaitables being waited on now (tests read it).</summary>
    internal int ForeignAwaitsInFlight => Volatile.Read(ref _foreignAwaits);

    /// <summary>Marks the start of work running on another thread that will come back through
    /// <see cref="CallSoonThreadsafe(Action)"/> (a real executor's job): until
    /// <see cref="EndThreadWork"/>, a simulated backend waits for it before moving time. Thread-safe.</summary>
    internal void BeginThreadWork() => Interlocked.Increment(ref _threadWork);

    internal void EndThreadWork() => Interlocked.Decrement(ref _threadWork);

    /// <summary>
    /// What the backend is told in phase 3. Work on other threads always counts. A foreign
    /// awaitable counts only when no timer is left and the backend has no event of its own to
    /// come (<see cref="IIoBackend.HasScheduledEvents"/>): it is often completed by the loop's
    /// own timers (<c>Task.Delay(d, loop.TimeProvider)</c>, a <c>PeriodicTimer</c>) or by its I/O
    /// (a .NET async method awaiting loop futures, <c>await using</c> of a server), and waiting
    /// in real time before running them would stall every jump of virtual time.
    /// </summary>
    internal bool OutsideWorkInFlight =>
        Volatile.Read(ref _threadWork) > 0
        || (Volatile.Read(ref _foreignAwaits) > 0 && _timers.Count == 0 && !_backend.HasScheduledEvents);

    /// <summary>Like <see cref="CallSoonThreadsafe(Action)"/>, but false instead of an
    /// exception when the loop is closed: for work finishing after its loop went away.</summary>
    internal bool TryCallSoonThreadsafe(Action callback) => TryEnqueueThreadsafe(Sim.Core.Callback.Of(callback), out _);

    private Handle EnqueueThreadsafe(in Callback callback)
    {
        if (!TryEnqueueThreadsafe(callback, out var handle))
            throw new InvalidOperationException("Event loop is closed");
        return handle;
    }

    private bool TryEnqueueThreadsafe(in Callback callback, out Handle handle)
    {
        if (IsOnLoopThread)
        {
            // From the loop's own thread the callback joins the ready queue at once, in FIFO order
            // with CallSoon (CPython appends both to one deque); the loop is awake already.
            handle = _ready.Enqueue(callback);
            return true;
        }
        var entry = new ThreadsafeCallback(callback);
        handle = new Handle(entry, 0);
        lock (_threadsafeLock)
        {
            if (_closed)
                return false;
            _threadsafeIncoming.Add(entry);
            Volatile.Write(ref _threadsafePending, true);
            // Under the lock: Close marks the loop closed under it before disposing the backend,
            // so a wake-up never reaches a disposed backend (a closed, perhaps reused, descriptor).
            _backend.Wakeup();
        }
        return true;
    }

    /// <summary>Part of phase 3: callbacks other threads sent join the ready queue in arrival order.</summary>
    private void MoveThreadsafeCallbacksToReady()
    {
        if (!Volatile.Read(ref _threadsafePending))
            return;
        lock (_threadsafeLock)
        {
            (_threadsafeIncoming, _threadsafeDraining) = (_threadsafeDraining, _threadsafeIncoming);
            Volatile.Write(ref _threadsafePending, false);
        }
        foreach (var entry in _threadsafeDraining)
            _ready.Enqueue(Sim.Core.Callback.Of(ThreadsafeCallback.RunIfNotCancelled, entry));
        _threadsafeDraining.Clear();
    }

    /// <summary>A callback crossing from another thread; its handle can cancel it on the way.</summary>
    private sealed class ThreadsafeCallback(Callback callback) : ICancellable
    {
        private volatile bool _cancelled;

        public static readonly Action<ThreadsafeCallback> RunIfNotCancelled = static entry =>
        {
            if (!entry._cancelled)
                entry._callback.Invoke();
        };

        private readonly Callback _callback = callback;

        public void Cancel(long sequence) => _cancelled = true;

        public bool IsCancelled(long sequence) => _cancelled;
    }
}

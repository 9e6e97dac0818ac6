using System.Diagnostics;

namespace Sim.Core;

/// <summary>
/// An asyncio-style event loop, written once and parameterised over an <see cref="IClock"/> and
/// an <see cref="IIoBackend"/>. Single-threaded: every member except
/// <see cref="CallSoonThreadsafe(Action)"/> belongs to the loop's thread.
/// </summary>
[DebuggerDisplay("{ToString(),nq}")]
public sealed partial class EventLoop
{
    // The longest a single Poll waits (asyncio's MAXIMUM_SELECT_TIMEOUT, one day): far beyond any
    // real timer, and it keeps the nanosecond arithmetic clear of overflow.
    private const long MaximumPollTimeoutNs = 24L * 3600 * 1_000_000_000;

    // Delays are clamped here (about 146 years) so that now + delay never overflows.
    private const long MaximumDelayNs = long.MaxValue / 2;

    private readonly IClock _clock;
    private readonly long _clockResolutionNs;
    private readonly IIoBackend _backend;
    private readonly ReadyQueue _ready = new();
    private readonly TimerQueue _timers = new();

    /// <summary>Timers scheduled and not cancelled (for tests: what a closed resource left behind).</summary>
    internal int LiveTimers => _timers.Count - _timers.CancelledCount;
    private readonly TextWriter? _log;
    private readonly ILoopTracer? _tracer;
    private bool _stopping;
    private bool _closed;
    private bool _debug;

    /// <summary>Creates a loop on the given clock and backend. The loop owns the backend and
    /// disposes of it in <see cref="Close"/>.</summary>
    public EventLoop(IClock clock, IIoBackend backend, EventLoopOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(clock);
        ArgumentNullException.ThrowIfNull(backend);
        if (clock.ResolutionNs < 1)
            throw new ArgumentException($"The clock's resolution must be at least 1 ns, not {clock.ResolutionNs}.", nameof(clock));
        options ??= new EventLoopOptions();
        _clock = clock;
        _clockResolutionNs = clock.ResolutionNs;
        _backend = backend;
        _log = options.Log;
        _tracer = options.Tracer;
        Faults = options.Faults;
        Debug = options.Debug;
        SlowCallbackDuration = options.SlowCallbackDuration;
        TimeProvider = new LoopTimeProvider(this, options.UtcEpoch ?? new DateTimeOffset(2000, 1, 1, 0, 0, 0, TimeSpan.Zero));
        _synchronizationContext = new LoopSynchronizationContext(this);
    }

    /// <summary>What <see cref="Buggify.On"/> asks on this loop; null in production.</summary>
    internal IFaultInjector? Faults { get; }

    /// <summary>The clock the loop reads.</summary>
    public IClock Clock => _clock;

    /// <summary>The backend the loop polls.</summary>
    public IIoBackend Backend => _backend;

    /// <summary>Debug mode: slow callbacks, calls from the wrong thread and coroutines never
    /// awaited are reported.</summary>
    public bool Debug
    {
        get => _debug;
        set
        {
            _debug = value;
            if (_running)
                CountAsRunningDebugLoop(value);
        }
    }

    // 1 while this loop is counted in s_runningDebugLoops. Swapped atomically, so the count never
    // drifts, even when Debug is set from another thread while the loop starts or stops.
    private int _countedAsDebug;

    private void CountAsRunningDebugLoop(bool counted)
    {
        var wanted = counted ? 1 : 0;
        if (Interlocked.Exchange(ref _countedAsDebug, wanted) != wanted)
            Interlocked.Add(ref s_runningDebugLoops, counted ? 1 : -1);
    }

    /// <summary>In debug mode, the duration (seconds) from which a callback is reported as slow.</summary>
    public double SlowCallbackDuration
    {
        get;
        set
        {
            if (double.IsNaN(value) || value < 0)
                throw new ArgumentOutOfRangeException(nameof(value), value, "SlowCallbackDuration must be a non-negative number of seconds.");
            field = value;
        }
    }

    /// <summary>A <see cref="System.TimeProvider"/> on loop time: <c>Task.Delay(d, loop.TimeProvider)</c>,
    /// <c>PeriodicTimer</c> and <c>CancellationTokenSource(d, tp)</c> follow the loop's clock,
    /// virtual time included.</summary>
    public TimeProvider TimeProvider { get; }

    /// <summary>True once <see cref="Close"/> has run.</summary>
    public bool IsClosed => _closed;

    /// <summary>The loop's time in seconds, as a double for asyncio compatibility.</summary>
    public double Time() => _clock.NowNs / 1e9;

    /// <summary>The loop's time in nanoseconds: what the loop itself compares.</summary>
    public long TimeNs() => _clock.NowNs;

    /// <summary>Schedules <paramref name="callback"/> to run once, after the callbacks already ready (FIFO).</summary>
    public Handle CallSoon(Action callback)
    {
        ArgumentNullException.ThrowIfNull(callback);
        CheckCallable();
        return _ready.Enqueue(Sim.Core.Callback.Of(callback));
    }

    /// <summary>Schedules <paramref name="callback"/> with a state argument and no closure: it
    /// allocates nothing when <typeparamref name="TState"/> is a reference type.</summary>
    public Handle CallSoon<TState>(Action<TState> callback, TState state)
    {
        ArgumentNullException.ThrowIfNull(callback);
        CheckCallable();
        return _ready.Enqueue(Sim.Core.Callback.Of(callback, state));
    }

    /// <summary>Schedules <paramref name="callback"/> to run <paramref name="delay"/> seconds from now.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The delay is negative or NaN.</exception>
    public TimerHandle CallLater(double delay, Action callback)
    {
        ArgumentNullException.ThrowIfNull(callback);
        return ScheduleTimer(_clock.NowNs + DelayToNs(delay, nameof(delay)), Sim.Core.Callback.Of(callback));
    }

    /// <inheritdoc cref="CallLater(double, Action)"/>
    public TimerHandle CallLater(TimeSpan delay, Action callback) => CallLater(delay.TotalSeconds, callback);

    /// <summary>Schedules <paramref name="callback"/> with a state argument, <paramref name="delay"/> seconds from now.</summary>
    public TimerHandle CallLater<TState>(double delay, Action<TState> callback, TState state)
    {
        ArgumentNullException.ThrowIfNull(callback);
        return ScheduleTimer(_clock.NowNs + DelayToNs(delay, nameof(delay)), Sim.Core.Callback.Of(callback, state));
    }

    /// <summary>Schedules <paramref name="callback"/> at loop time <paramref name="when"/> (seconds);
    /// a time in the past means the next iteration.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="when"/> is NaN.</exception>
    public TimerHandle CallAt(double when, Action callback)
    {
        ArgumentNullException.ThrowIfNull(callback);
        return ScheduleTimer(TimeToNs(when, nameof(when)), Sim.Core.Callback.Of(callback));
    }

    /// <summary>Schedules <paramref name="callback"/> with a state argument at loop time <paramref name="when"/>.</summary>
    public TimerHandle CallAt<TState>(double when, Action<TState> callback, TState state)
    {
        ArgumentNullException.ThrowIfNull(callback);
        return ScheduleTimer(TimeToNs(when, nameof(when)), Sim.Core.Callback.Of(callback, state));
    }

    /// <summary>Schedules a callback at loop time <paramref name="whenNs"/> in nanoseconds.</summary>
    public TimerHandle CallAtNs<TState>(long whenNs, Action<TState> callback, TState state)
    {
        ArgumentNullException.ThrowIfNull(callback);
        return ScheduleTimer(whenNs, Sim.Core.Callback.Of(callback, state));
    }

    /// <summary>Creates a pending future bound to this loop.</summary>
    public Future<T> CreateFuture<T>() => new(this);

    /// <summary>Wraps <paramref name="coroutine"/> in a task whose first step runs in the next
    /// iteration (through <see cref="TaskFactory"/> when one is set).</summary>
    public LoopTask<T> CreateTask<T>(Coroutine<T> coroutine, string? name = null)
    {
        ArgumentNullException.ThrowIfNull(coroutine);
        CheckClosed();
        return TaskFactory is { } factory ? factory.CreateTask(this, coroutine, name) : new LoopTask<T>(this, coroutine, name);
    }

    /// <summary>Creates the loop's tasks when set (asyncio's <c>set_task_factory</c>); null for the default.</summary>
    public ITaskFactory? TaskFactory { get; set; }

    /// <summary>Time since the loop's clock epoch and the state of the loop.</summary>
    public override string ToString() =>
        $"<EventLoop t={Time():0.000000}s {(IsRunning ? "running" : _closed ? "closed" : "idle")} ready={_ready.Count + _timers.DueCount} timers={_timers.Count}>";

    /// <summary>CallSoon for a callback already packed with its state (future callbacks, task steps).</summary>
    internal Handle ScheduleCallback(in Callback callback)
    {
        CheckClosed();
        return _ready.Enqueue(callback);
    }

    private TimerHandle ScheduleTimer(long whenNs, in Callback callback)
    {
        CheckCallable();
        return _timers.Push(whenNs, callback, _clock.NowNs + _clockResolutionNs);
    }

    internal static long DelayToNs(double delay, string parameter)
    {
        if (double.IsNaN(delay) || delay < 0)
            throw new ArgumentOutOfRangeException(parameter, delay, "A delay must be a non-negative number of seconds; to run a callback as soon as possible use CallSoon.");
        var ns = delay * 1e9;
        return ns >= MaximumDelayNs ? MaximumDelayNs : (long)Math.Round(ns);
    }

    private static long TimeToNs(double when, string parameter)
    {
        if (double.IsNaN(when))
            throw new ArgumentOutOfRangeException(parameter, when, "A loop time must be a number of seconds, not NaN.");
        var ns = when * 1e9;
        return ns >= MaximumDelayNs ? MaximumDelayNs : ns <= -MaximumDelayNs ? -MaximumDelayNs : (long)Math.Round(ns);
    }

    private void CheckClosed()
    {
        if (_closed)
            throw new InvalidOperationException("Event loop is closed");
    }

    private void CheckCallable()
    {
        CheckClosed();
        if (Debug)
            CheckThread();
    }
}

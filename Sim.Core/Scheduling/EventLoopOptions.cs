namespace Sim.Core;

/// <summary>Settings of an <see cref="EventLoop"/> fixed at construction.</summary>
public sealed record EventLoopOptions
{
    /// <summary>Debug mode from the start (asyncio's <c>PYTHONASYNCIODEBUG</c>); can be changed later.</summary>
    public bool Debug { get; init; }

    /// <summary>
    /// In debug mode, a callback running at least this long (seconds) is reported.
    /// 0.1 s, asyncio's default: long enough to ignore ordinary work, short enough to catch a
    /// blocking call on the loop.
    /// </summary>
    public double SlowCallbackDuration { get; init; } = 0.1;

    /// <summary>Where the default exception handler and debug reports write. Console.Error when null.</summary>
    public TextWriter? Log { get; init; }

    /// <summary>
    /// The wall-clock instant that loop time 0 stands for, for <see cref="EventLoop.TimeProvider"/>'s
    /// <c>GetUtcNow</c>. 2000-01-01 UTC when null: a fixed instant keeps simulations reproducible.
    /// </summary>
    public DateTimeOffset? UtcEpoch { get; init; }

    /// <summary>Told of every callback the loop runs (simulation traces). None when null.</summary>
    public ILoopTracer? Tracer { get; init; }

    /// <summary>What <see cref="Buggify.On"/> asks on this loop (a simulation's seeded injector);
    /// null, as in production, keeps every site off.</summary>
    public IFaultInjector? Faults { get; init; }
}

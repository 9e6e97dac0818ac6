namespace Sim.Net;

/// <summary>The knobs of a simulation. Every default says why it is what it is.</summary>
public sealed class SimulationOptions
{
    /// <summary>
    /// The longest virtual time an executor job takes (seconds); each job draws its duration
    /// from [0, this]. 1 ms: enough to reorder jobs against timers, small next to typical test timeouts.
    /// </summary>
    public double ExecutorLatencyMax { get; init; } = 0.001;

    /// <summary>
    /// How long (real seconds) the loop waits for work outside the simulation (a foreign .NET
    /// task completing on another thread) before declaring a deadlock. 30 s: generous for
    /// real I/O, short enough that a stuck test fails rather than hangs.
    /// </summary>
    public double OutsideWorkWaitMax { get; init; } = 30;

    /// <summary>Trace events kept in memory (all are hashed). 100,000: a few MB.</summary>
    public int TraceEventsKeptMax { get; init; } = 100_000;

    /// <summary>
    /// Choices recorded in <see cref="Simulation.RecordedChoices"/> (24 bytes each); a run that draws
    /// more cannot be replayed from its log (it is marked truncated) but still reruns from its seed.
    /// 1,000,000: at most 24 MB, far beyond a test or a campaign seed (thousands of choices); long
    /// benchmark runs pass 0, which turns recording off.
    /// </summary>
    public int ChoicesKeptMax { get; init; } = 1_000_000;

    /// <summary>Record every loop callback in the trace. On by default: it is what makes a
    /// divergence between two runs of a seed visible.</summary>
    public bool TraceCallbacks { get; init; } = true;

    /// <summary>The simulated network's latencies, chunking, windows and timeouts.</summary>
    public NetworkOptions Network { get; init; } = new();

    /// <summary>Debug mode for the simulation's loop.</summary>
    public bool Debug { get; init; }

    /// <summary>Where the loop's default exception handler writes (Console.Error when null).</summary>
    public TextWriter? Log { get; init; }

    /// <summary>Whether <see cref="Sim.Core.Buggify.On"/> sites may fire in this simulation. On by
    /// default: a simulation is where a program's deliberate misbehaviour belongs.</summary>
    public bool Buggify { get; init; } = true;

    /// <summary>
    /// The chance that a <see cref="Sim.Core.Buggify.On"/> site is switched on for a run (decided
    /// the first time the run reaches it). 0.25, FoundationDB's: each run exercises a different
    /// quarter of the sites, so a fault path is neither always nor never taken.
    /// </summary>
    public double BuggifySiteProbability { get; init; } = 0.25;
}

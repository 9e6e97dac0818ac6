using Sim.Core;

namespace Sim.Net;

/// <summary>
/// A simulated world whose every run is a pure function of its seed: a virtual clock, a choice
/// source, a trace, and the event loop that runs on them.
/// </summary>
public sealed class Simulation
{
    [ThreadStatic]
    private static Simulation? s_current;

    /// <summary>Creates the world for <paramref name="seed"/>.</summary>
    public Simulation(long seed, SimulationOptions? options = null, IChoiceSource? choices = null)
    {
        Seed = seed;
        Options = options ?? new SimulationOptions();
        Clock = new VirtualClock();
        Choices = choices ?? new SeededChoices(seed);
        Trace = new SimulationTrace(Clock, Options.TraceEventsKeptMax);
        Backend = new SimBackend(this);
        Loop = new EventLoop(Clock, Backend, new EventLoopOptions
        {
            Debug = Options.Debug,
            Log = Options.Log,
            Tracer = Options.TraceCallbacks ? Trace : null,
        });
    }

    /// <summary>The simulation whose loop runs on this thread (inside <see cref="RunUntilComplete{T}"/>).</summary>
    public static Simulation? Current => s_current;

    /// <summary>The seed: the same seed gives the same run.</summary>
    public long Seed { get; }

    public SimulationOptions Options { get; }

    public VirtualClock Clock { get; }

    /// <summary>Every nondeterministic decision is drawn here; programs draw their randomness here too.</summary>
    public IChoiceSource Choices { get; }

    public SimulationTrace Trace { get; }

    internal SimBackend Backend { get; }

    /// <summary>The simulation's event loop, on virtual time.</summary>
    public EventLoop Loop { get; }

    /// <summary>Runs <paramref name="main"/> to completion on the simulation's loop.</summary>
    public T RunUntilComplete<T>(Coroutine<T> main)
    {
        var previous = s_current;
        s_current = this;
        try
        {
            return Loop.RunUntilComplete(main);
        }
        finally
        {
            s_current = previous;
        }
    }

    /// <summary>The one-liner: builds the world for <paramref name="seed"/>, runs
    /// <paramref name="main"/> to completion and closes the loop.</summary>
    public static T Run<T>(long seed, Func<Simulation, Coroutine<T>> main, SimulationOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(main);
        var simulation = new Simulation(seed, options);
        try
        {
            return simulation.RunUntilComplete(main(simulation));
        }
        finally
        {
            simulation.Loop.Close();
        }
    }

    /// <inheritdoc cref="Run{T}(long, Func{Simulation, Coroutine{T}}, SimulationOptions?)"/>
    public static void Run(long seed, Func<Simulation, Coroutine> main, SimulationOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(main);
        Run<Unit>(seed, main, options);
    }

    /// <summary>The command line that reproduces this run.</summary>
    public string Reproduction(string scenario) => $"dotnet run --project Sim.Runner -- run {scenario} --seed {Seed}";

    public override string ToString() => $"<Simulation seed={Seed} t={Clock} events={Trace.Count}>";
}

using System.Globalization;
using Sim.Core;

namespace Sim.Net;

/// <summary>
/// A simulated world whose every run is a pure function of its seed: a virtual clock, a choice
/// source, a trace, a network of hosts, and the event loop that runs on them.
/// </summary>
/// <remarks>
/// One loop runs the whole world. Sockets are addressed by host: a server listens on an address
/// of the host it runs on, a client connects from its host's address (the <c>localAddress</c> of
/// <see cref="EventLoop.CreateConnection{TProtocol}"/>, or the default host "localhost" with
/// 127.0.0.1 and ::1). Add hosts with <see cref="AddHost(string, string[])"/>.
/// </remarks>
public sealed partial class Simulation
{
    [ThreadStatic]
    private static Simulation? s_current;

    /// <summary>
    /// Creates the world for <paramref name="seed"/>. Its choices come from
    /// <paramref name="choices"/> when given (a <see cref="ReplayChoices"/> of a saved run, a
    /// systematic explorer), else from <see cref="SeededChoices"/> on the seed; either way every
    /// choice is recorded in <see cref="RecordedChoices"/>.
    /// </summary>
    public Simulation(long seed, SimulationOptions? options = null, IChoiceSource? choices = null)
    {
        Seed = seed;
        Options = options ?? new SimulationOptions();
        Clock = new VirtualClock();
        var source = choices ?? new SeededChoices(seed);
        RecordedChoices = new ChoiceLog(SeedOf(source), Options.ChoicesKeptMax);
        Recorder = new RecordingChoices(source, RecordedChoices);
        Choices = Recorder;
        Trace = new SimulationTrace(Clock, Options.TraceEventsKeptMax);
        Network = new SimNetwork(this, Options.Network);
        Backend = new SimBackend(this);
        if (double.IsNaN(Options.BuggifySiteProbability) || Options.BuggifySiteProbability is < 0 or > 1)
            throw new ArgumentOutOfRangeException(nameof(options), Options.BuggifySiteProbability, "BuggifySiteProbability is a probability: in [0, 1].");
        Loop = new EventLoop(Clock, Backend, new EventLoopOptions
        {
            Debug = Options.Debug,
            Log = Options.Log,
            Tracer = Options.TraceCallbacks ? Trace : null,
            Faults = Options.Buggify ? new SimBuggify(this, Options.BuggifySiteProbability) : null,
        });
    }

    /// <summary>The simulation whose loop runs on this thread (inside <see cref="RunUntilComplete{T}"/>).</summary>
    public static Simulation? Current => s_current;

    /// <summary>The seed: the same seed gives the same run.</summary>
    public long Seed { get; }

    /// <summary>The options this simulation was made with.</summary>
    public SimulationOptions Options { get; }

    /// <summary>The virtual clock the loop and the network read.</summary>
    public VirtualClock Clock { get; }

    /// <summary>Every nondeterministic decision is drawn here; programs draw their randomness here too.</summary>
    public IChoiceSource Choices { get; }

    /// <summary><see cref="Choices"/> as the type it is: the network draws through it by direct
    /// calls, twice per segment.</summary>
    internal RecordingChoices Recorder { get; }

    /// <summary>Every choice drawn from <see cref="Choices"/> so far, in order: save it to replay
    /// this run with <see cref="ReplayChoices"/>.</summary>
    public ChoiceLog RecordedChoices { get; }

    /// <summary>The trace of this run: every loop and network event with its virtual time, and a stable hash.</summary>
    public SimulationTrace Trace { get; }

    /// <summary>The simulated network: hosts, DNS, listeners and connections.</summary>
    public SimNetwork Network { get; }

    /// <summary>Adds a host with its addresses ("10.0.0.1", "fd00::1") and a DNS entry for its name.</summary>
    public Host AddHost(string name, params string[] addresses) => Network.AddHost(name, addresses);

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
    public string Reproduction(string scenario) => ReproductionFor(scenario, Seed);

    /// <summary>The command line that reruns <paramref name="scenario"/> for <paramref name="seed"/> with the runner.</summary>
    public static string ReproductionFor(string scenario, long seed) =>
        string.Create(CultureInfo.InvariantCulture, $"dotnet run --project Sim.Runner -- {scenario} --seed {seed}");

    /// <summary>The command line that replays <paramref name="scenario"/> from a saved choice log.</summary>
    public static string ReplayReproductionFor(string scenario, string choiceLogPath) =>
        $"dotnet run --project Sim.Runner -- {scenario} --replay {choiceLogPath}";

    /// <summary>The seed a log records: known when the choices come from a seed, or replay a log that knows it.</summary>
    private static long? SeedOf(IChoiceSource source) => source switch
    {
        SeededChoices seeded => seeded.Seed,
        ReplayChoices replay => replay.Log.Seed,
        _ => null,
    };

    /// <summary>
    /// Sends signal <paramref name="signum"/> to the simulated process now, as another process's
    /// <c>kill(2)</c> would: the loop hears of it at its next poll and runs the handler registered
    /// with <see cref="EventLoop.AddSignalHandler"/> in the iteration after. A signal with no
    /// handler gets its default action: ignored (SIGPIPE, SIGCHLD, SIGCONT, SIGURG, SIGWINCH) or the end of
    /// the process, a <see cref="ProcessTerminatedException"/> out of the run. Loop thread only.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">Not a signal number (1..64 but 32 and 33).</exception>
    /// <exception cref="NotSupportedException">A signal that would stop the process (SIGSTOP, or
    /// SIGTSTP, SIGTTIN, SIGTTOU with no handler): job control is not simulated.</exception>
    public void SendSignal(int signum) => SendSignal(signum, TimeSpan.Zero);

    /// <summary>Sends signal <paramref name="signum"/> to arrive <paramref name="after"/> from now in
    /// virtual time (see <see cref="SendSignal(int)"/>); virtual time never jumps past it.</summary>
    /// <exception cref="ArgumentOutOfRangeException">Not a signal number (1..64 but 32 and 33), or a negative delay.</exception>
    /// <exception cref="NotSupportedException">A signal that would stop the process (SIGSTOP, or
    /// SIGTSTP, SIGTTIN, SIGTTOU with no handler): job control is not simulated.</exception>
    public void SendSignal(int signum, TimeSpan after)
    {
        if (!Signals.IsValid(signum))
            throw new ArgumentOutOfRangeException(nameof(signum), signum, $"invalid signal number {signum}");
        if (Signals.StopsByDefault(signum) && !Backend.Signals.IsWatched(signum))
            throw new NotSupportedException($"{Signals.NameOf(signum)} with no handler would stop the process until SIGCONT; job control is not simulated.");
        ArgumentOutOfRangeException.ThrowIfLessThan(after, TimeSpan.Zero);
        var delayNs = checked(after.Ticks * 100);
        Backend.Signals.Send(signum, checked(Clock.NowNs + delayNs), delayNs);
    }

    /// <inheritdoc/>
    public override string ToString() => $"<Simulation seed={Seed} t={Clock} events={Trace.Count}>";
}

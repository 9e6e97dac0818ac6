using Microsoft.Coyote;
using Microsoft.Coyote.Logging;
using Microsoft.Coyote.SystematicTesting;
using Sim.Net;

namespace Sim.Coyote;

/// <summary>
/// Runs a simulation scenario under Coyote's <see cref="TestingEngine"/>: each iteration is a
/// fresh <see cref="Simulation"/> whose choices come from <see cref="CoyoteChoices"/>, so the
/// chosen strategy decides every latency, ordering and fault; the first iteration whose scenario
/// throws is reported with the choices it drew, which replay it exactly.
/// </summary>
/// <remarks>
/// The simulation runs on one thread and draws every decision from its choice source, so Coyote
/// needs no binary rewriting here: the only nondeterminism it controls is the
/// <see cref="Microsoft.Coyote.Random.Generator"/>'s (the engine's log complains that the
/// assembly is not rewritten; this helper silences that log). To Coyote the whole simulation is
/// one operation, so its strategies differ only in how they pick data values: see
/// <see cref="ExplorationStrategy"/>.
/// </remarks>
public static class CoyoteExplorer
{
    /// <summary>
    /// Explores <paramref name="scenario"/>: up to <see cref="ExplorationOptions.IterationsMax"/>
    /// runs, stopping at the first that throws. The scenario runs its program to completion in
    /// the simulation it is given and throws when an invariant breaks.
    /// </summary>
    public static ExplorationResult Explore(Action<Simulation> scenario, ExplorationOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(scenario);
        options ??= new ExplorationOptions();
        var iterations = new IterationLog(scenario, options.SimulationOptions);
        using (var engine = TestingEngine.Create(Configure(options), iterations.Run))
        {
            // The engine insists on console logging ("Iteration #1", "not rewritten"); the result says what matters.
            engine.SetLogger(new TextWriterLogger(TextWriter.Null, VerbosityLevel.None));
            engine.Run();
            var report = engine.TestReport;
            if (report.NumOfFoundBugs == 0)
                return new ExplorationResult { Strategy = options.Strategy, Iterations = iterations.Count };
            var failed = iterations.Failed ?? iterations.Last;
            return new ExplorationResult
            {
                Strategy = options.Strategy,
                Iterations = iterations.Count,
                FailingIteration = failed?.Iteration ?? iterations.Count,
                Failure = failed?.Exception ?? new InvalidOperationException(string.Join("; ", report.BugReports)),
                FailingChoices = failed?.Choices,
                FailingTraceHash = failed?.TraceHash,
                CoyoteReport = string.Join("\n", report.BugReports),
            };
        }
    }

    private static Configuration Configure(ExplorationOptions options)
    {
        var configuration = Configuration.Create()
            .WithTestingIterations(options.IterationsMax)
            .WithRandomGeneratorSeed(options.StrategySeed)
            .WithMaxSchedulingSteps(options.ChoicesPerIterationMax)
            .WithTelemetryEnabled(false)
            .WithConsoleLoggingEnabled(false)
            .WithVerbosityEnabled(VerbosityLevel.None);
        return options.Strategy switch
        {
            ExplorationStrategy.Random => configuration.WithRandomStrategy(),
            ExplorationStrategy.Prioritization => configuration.WithPrioritizationStrategy(),
            ExplorationStrategy.Probabilistic => configuration.WithProbabilisticStrategy(),
            _ => throw new ArgumentOutOfRangeException(nameof(options), options.Strategy, "Unknown exploration strategy."),
        };
    }
}

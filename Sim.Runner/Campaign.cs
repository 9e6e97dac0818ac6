using System.Diagnostics;
using System.Globalization;
using Sim.Examples;
using Sim.Net;

namespace Sim.Runner;

/// <summary>The outcome of one seed; <paramref name="Details"/> holds extra report lines (a divergence).</summary>
internal sealed record SeedResult(long Seed, bool Passed, string Summary, string? Failure, double WallSeconds, string? Details = null)
{
    public string Reproduction(string scenario) => Simulation.ReproductionFor(scenario, Seed);
}

/// <summary>Runs a scenario over a range of seeds, prints a line a seed and a final verdict.</summary>
internal sealed class Campaign(IScenario scenario, CampaignOptions options, TextWriter output)
{
    public List<SeedResult> Results { get; } = [];

    public int Run()
    {
        var wall = Stopwatch.StartNew();
        var determinismChecks = 0;
        var index = 0L;
        for (var seed = options.FirstSeed; seed < options.FirstSeed + options.SeedCount; seed++, index++)
        {
            if (index % options.ShardCount != options.ShardIndex)
                continue;
            if (options.TimeLimit > 0 && wall.Elapsed.TotalSeconds >= options.TimeLimit)
            {
                output.WriteLine($"time limit of {options.TimeLimit} s reached: stopping before seed {seed}");
                break;
            }
            var checkDeterminism = options.DeterminismEvery > 0 && index % options.DeterminismEvery == 0;
            var result = RunSeed(seed, checkDeterminism, out var choices);
            determinismChecks += checkDeterminism ? 1 : 0;
            Results.Add(result);
            Report(result, choices);
        }
        var failed = Results.Count(r => !r.Passed);
        output.WriteLine(
            $"{scenario.Name}: {Results.Count} seeds, {Results.Count - failed} passed, {failed} failed, determinism re-checked on {determinismChecks}");
        Console.Error.WriteLine($"wall time {wall.Elapsed.TotalSeconds:0.00} s");
        return failed == 0 ? 0 : 1;
    }

    private SeedResult RunSeed(long seed, bool checkDeterminism, out ChoiceLog choices)
    {
        var wall = Stopwatch.StartNew();
        var first = RunOnce(new Simulation(seed, SimulationOptions(scenario)));
        choices = first.Simulation.RecordedChoices;
        var result = new SeedResult(seed, first.Failure is null, first.Summary, first.Failure, 0);
        if (first.Failure is null && checkDeterminism)
        {
            var second = RunOnce(new Simulation(seed, SimulationOptions(scenario)));
            var report = DivergenceReport.Compare(
                first.Simulation.Trace, second.Simulation.Trace,
                first.Simulation.RecordedChoices, second.Simulation.RecordedChoices,
                first.Summary, second.Summary, seed);
            if (report.Diverged)
            {
                var at = report.EventIndex is { } i ? string.Create(CultureInfo.InvariantCulture, $" at event {i}") : "";
                result = result with
                {
                    Passed = false,
                    Failure = $"nondeterminism: the same seed gave traces {report.Hashes.First} and {report.Hashes.Second}, first divergence{at}",
                    Details = report.ToString(),
                };
            }
        }
        return result with { WallSeconds = wall.Elapsed.TotalSeconds };
    }

    private (Simulation Simulation, string Summary, string? Failure) RunOnce(Simulation simulation) => RunOnce(scenario, simulation);

    /// <summary>Runs <paramref name="scenario"/> once in <paramref name="simulation"/>: its summary, or the failure.</summary>
    public static (Simulation Simulation, string Summary, string? Failure) RunOnce(IScenario scenario, Simulation simulation)
    {
        try
        {
            return (simulation, scenario.Run(simulation), null);
        }
        catch (Exception exception)
        {
            return (simulation, "", $"{exception.GetType().Name}: {exception.Message}");
        }
        finally
        {
            if (!simulation.Loop.IsRunning)
                simulation.Loop.Close();
        }
    }

    /// <summary>A seed's simulation options: the scenario's network (its faults), the loop's log silenced.</summary>
    public static SimulationOptions SimulationOptions(IScenario scenario) => new() { Log = TextWriter.Null, Network = scenario.Network };

    private void Report(SeedResult result, ChoiceLog choices)
    {
        if (result.Passed)
        {
            if (!options.Quiet)
                output.WriteLine($"seed {result.Seed}: {result.Summary}");
            // One seed asked for by name: save its choices even though it passed (recording a run).
            if (options.SeedCount == 1)
                SaveChoices(result, choices);
            return;
        }
        output.WriteLine($"FAIL seed {result.Seed}: {result.Failure}");
        if (result.Details is { } details)
        {
            foreach (var line in details.Split('\n'))
                output.WriteLine($"  {line}");
        }
        output.WriteLine($"  reproduce: {result.Reproduction(scenario.Name)}");
        SaveChoices(result, choices);
    }

    private void SaveChoices(SeedResult result, ChoiceLog choices)
    {
        if (options.SaveChoicesDirectory is not { } directory || choices.Truncated)
            return;
        Directory.CreateDirectory(directory);
        var path = Path.Combine(directory, string.Create(CultureInfo.InvariantCulture, $"{scenario.Name}-seed{result.Seed}.choices"));
        choices.Save(path);
        output.WriteLine($"  replay:    {Simulation.ReplayReproductionFor(scenario.Name, path)}");
    }
}

using System.Diagnostics;
using Sim.Examples;
using Sim.Net;

namespace Sim.Runner;

/// <summary>The outcome of one seed.</summary>
internal sealed record SeedResult(long Seed, bool Passed, string Summary, string? Failure, double WallSeconds)
{
    public string Reproduction(string scenario) => $"dotnet run --project Sim.Runner -- {scenario} --seed {Seed}";
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
            var result = RunSeed(seed, checkDeterminism);
            determinismChecks += checkDeterminism ? 1 : 0;
            Results.Add(result);
            Report(result);
        }
        var failed = Results.Count(r => !r.Passed);
        output.WriteLine(
            $"{scenario.Name}: {Results.Count} seeds, {Results.Count - failed} passed, {failed} failed, determinism re-checked on {determinismChecks}");
        Console.Error.WriteLine($"wall time {wall.Elapsed.TotalSeconds:0.00} s");
        return failed == 0 ? 0 : 1;
    }

    private SeedResult RunSeed(long seed, bool checkDeterminism)
    {
        var wall = Stopwatch.StartNew();
        var first = RunOnce(seed, out var firstTrace);
        if (first.Failure is null && checkDeterminism)
        {
            var second = RunOnce(seed, out var secondTrace);
            if (second.Summary != first.Summary || firstTrace.Hash != secondTrace.Hash)
            {
                var at = SimulationTrace.FirstDivergence(firstTrace, secondTrace);
                var detail = at is { } i && i < firstTrace.Events.Count && i < secondTrace.Events.Count
                    ? $" first divergence at event {i}: '{firstTrace.Events[i]}' vs '{secondTrace.Events[i]}'"
                    : "";
                first = first with { Failure = $"nondeterminism: the same seed gave traces {firstTrace.Hash} and {secondTrace.Hash}.{detail}" };
            }
        }
        return new SeedResult(seed, first.Failure is null, first.Summary, first.Failure, wall.Elapsed.TotalSeconds);
    }

    private (string Summary, string? Failure) RunOnce(long seed, out SimulationTrace trace)
    {
        var simulation = new Simulation(seed, new SimulationOptions { Log = TextWriter.Null });
        trace = simulation.Trace;
        try
        {
            return (scenario.Run(simulation), null);
        }
        catch (Exception exception)
        {
            return ("", $"{exception.GetType().Name}: {exception.Message}");
        }
        finally
        {
            if (!simulation.Loop.IsRunning)
                simulation.Loop.Close();
        }
    }

    private void Report(SeedResult result)
    {
        if (result.Passed)
        {
            if (!options.Quiet)
                output.WriteLine($"seed {result.Seed}: {result.Summary}");
            return;
        }
        output.WriteLine($"FAIL seed {result.Seed}: {result.Failure}");
        output.WriteLine($"  reproduce: {result.Reproduction(scenario.Name)}");
    }
}

using System.Globalization;
using Sim.Examples;
using Sim.Net;

namespace Sim.Runner;

/// <summary>
/// <c>--replay FILE</c>: runs the scenario once on a saved choice log instead of a seed, and
/// checks the run asked exactly the recorded questions, no more and no fewer.
/// </summary>
internal sealed class ChoiceReplay(IScenario scenario, string path, TextWriter output)
{
    public int Run()
    {
        ChoiceLog log;
        try
        {
            log = ChoiceLog.Load(path);
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException or FormatException)
        {
            output.WriteLine($"error: cannot read the choice log {path}: {error.Message}");
            return 2;
        }
        if (log.Truncated)
        {
            output.WriteLine($"error: {path} stopped recording after {log.Count} choices, so it cannot replay a whole run");
            return 2;
        }
        var replay = new ReplayChoices(log);
        var origin = log.Seed is { } seed ? string.Create(CultureInfo.InvariantCulture, $", recorded from seed {seed}") : "";
        output.WriteLine($"replaying {scenario.Name} from {path} ({log.Count} choices{origin})");
        var (_, summary, failure) = Campaign.RunOnce(scenario, new Simulation(log.Seed ?? 0, Campaign.SimulationOptions(scenario), replay));
        if (failure is null && replay.Remaining > 0)
        {
            try
            {
                replay.ThrowIfNotFinished();
            }
            catch (ReplayDivergenceException divergence)
            {
                failure = $"{nameof(ReplayDivergenceException)}: {divergence.Message}";
            }
        }
        if (failure is null)
        {
            output.WriteLine($"replay passed: {summary}");
            return 0;
        }
        output.WriteLine($"FAIL replay: {failure}");
        if (log.Seed is { } recordedSeed)
            output.WriteLine($"  reproduce: {Simulation.ReproductionFor(scenario.Name, recordedSeed)}");
        return 1;
    }
}

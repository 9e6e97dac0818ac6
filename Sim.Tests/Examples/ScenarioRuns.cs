using Sim.Examples;
using Sim.Net;

namespace Sim.Tests.Examples;

/// <summary>How the example tests run a scenario across seeds.</summary>
internal static class ScenarioRuns
{
    /// <summary>Quiet options on the scenario's own network (its faults switched on).</summary>
    public static SimulationOptions QuietOptions(IScenario scenario) => new() { Log = TextWriter.Null, Network = scenario.Network };

    /// <summary>
    /// Runs seeds 1..<paramref name="seeds"/> twice each: every seed must end the same way both
    /// times; each failing outcome (a planted bug caught) goes to <paramref name="checkFailure"/>.
    /// Returns how many seeds failed.
    /// </summary>
    public static int FailingSeeds(IScenario scenario, int seeds, Action<string> checkFailure)
    {
        var failing = 0;
        for (var seed = 1; seed <= seeds; seed++)
        {
            var report = Simulation.RunTwice(seed, simulation => scenario.Run(simulation), QuietOptions(scenario));

            Assert.False(report.Diverged, report.ToString());
            if (report.Outcomes.First is not "completed")
            {
                checkFailure(report.Outcomes.First ?? "(no outcome)");
                failing++;
            }
        }
        return failing;
    }
}

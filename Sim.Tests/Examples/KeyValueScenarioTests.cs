using Sim.Examples;
using Sim.Examples.KeyValue;
using Sim.Net;

namespace Sim.Tests.Examples;

/// <summary>
/// The key-value example on seeds: the catalog's 'kv' (mutations locked) keeps its invariant and
/// repeats exactly on every seed; the planted lost update fails on a few seeds, each the same way
/// every time it runs.
/// </summary>
[Trait("Category", "Simulation")]
public sealed class KeyValueScenarioTests
{
    private static readonly SimulationOptions s_quiet = new() { Log = TextWriter.Null };

    [Fact]
    public void KeyValue_HundredSeedsEachRunTwice_NoDivergenceAndFourVisits()
    {
        var scenario = ScenarioCatalog.Find("kv")!;
        for (var seed = 1; seed <= 100; seed++)
        {
            var report = Simulation.RunTwice(seed, simulation => Assert.StartsWith("visits 4,", scenario.Run(simulation), StringComparison.Ordinal), s_quiet);

            Assert.False(report.Diverged, report.ToString());
            Assert.Equal(("completed", "completed"), report.Outcomes);
        }
    }

    [Fact]
    public void KeyValueUnderPartitionsAndClogs_HundredSeedsEachRunTwice_NoDivergenceAndFourVisits()
    {
        var scenario = ScenarioCatalog.Find("kv-partitions")!;
        var faulted = 0;
        for (var seed = 1; seed <= 100; seed++)
        {
            var partitions = 0;
            var report = Simulation.RunTwice(seed, simulation =>
            {
                Assert.StartsWith("visits 4,", scenario.Run(simulation), StringComparison.Ordinal);
                // Faults that bit: bytes held at a cut link, or a SYN dropped there.
                partitions = simulation.Trace.Events.Count(e => e.Kind is "tcp.held" || (e.Kind == "tcp.syn-drop" && e.Details.EndsWith("partitioned", StringComparison.Ordinal)));
            }, s_quiet);

            Assert.False(report.Diverged, report.ToString());
            Assert.Equal(("completed", "completed"), report.Outcomes);
            if (partitions > 0)
                faulted++;
        }
        // The nemesis holds the clients' traffic on many seeds, not on a lucky few.
        Assert.InRange(faulted, 40, 100);
    }

    [Fact]
    public void KeyValueLostUpdate_TwoHundredSeeds_FailsOnAFewEachTheSameWayTwice()
    {
        var scenario = new KeyValueScenario(lockMutations: false);
        var failing = ScenarioRuns.FailingSeeds(scenario, 200, outcome =>
            Assert.StartsWith("InvalidOperationException: lost update: visits is 3 after 4 INCRs", outcome, StringComparison.Ordinal));
        Assert.InRange(failing, 1, 40);
    }
}

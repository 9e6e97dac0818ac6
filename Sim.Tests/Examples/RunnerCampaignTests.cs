using Sim.Examples;
using Sim.Net;

namespace Sim.Tests.Examples;

/// <summary>The main job's scenario: every seed keeps its invariant and prints the same summary twice.</summary>
[Trait("Category", "Simulation")]
public sealed class RunnerCampaignTests
{
    [Fact]
    public void ProducerConsumer_FiftySeeds_EveryItemConsumedOnceAndSummariesReproducible()
    {
        var scenario = ScenarioCatalog.Find("producer-consumer")!;
        for (var seed = 1; seed <= 50; seed++)
        {
            var first = scenario.Run(new Simulation(seed, new SimulationOptions { Log = TextWriter.Null }));
            var second = scenario.Run(new Simulation(seed, new SimulationOptions { Log = TextWriter.Null }));
            Assert.Equal(first, second);
            Assert.Contains("produced 30, consumed 30", first, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void ProducerConsumer_DifferentSeeds_DifferentInterleavings()
    {
        var scenario = ScenarioCatalog.Find("producer-consumer")!;
        var summaries = Enumerable.Range(1, 10)
            .Select(seed => scenario.Run(new Simulation(seed, new SimulationOptions { Log = TextWriter.Null })))
            .ToList();
        Assert.Equal(10, summaries.Distinct(StringComparer.Ordinal).Count());
    }
}

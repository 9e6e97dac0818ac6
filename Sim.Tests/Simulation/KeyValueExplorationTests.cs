using System.Diagnostics;
using Sim.Coyote;
using Sim.Examples.KeyValue;
using Sim.Net;
using Xunit.Abstractions;

namespace Sim.Tests.Simulations;

/// <summary>
/// Coyote explores the message orderings of a small client/server on the simulated network — two
/// clients on their own hosts SET, GET and INCR one key-value server at once — and finds the
/// planted lost update, which only the interleavings where both clients' INCRs reach the server
/// within one journal sync show. The failing iteration's choices replay it exactly; the server
/// with its mutations locked passes every iteration.
/// </summary>
[Trait("Category", "Concurrency")]
public sealed class KeyValueExplorationTests(ITestOutputHelper output)
{
    // The lost update shows on a few iterations in a hundred, so 1,000 miss it with negligible
    // probability; the strategies' seeds are fixed, so the counts below repeat run to run.
    private const uint IterationsMax = 1_000;

    private static readonly SimulationOptions s_quiet = new() { Log = TextWriter.Null };

    private static void BuggyServer(Simulation simulation) => new KeyValueScenario(lockMutations: false).Run(simulation);

    private static ExplorationResult ExploreBuggyServer(ExplorationStrategy strategy) =>
        CoyoteExplorer.Explore(BuggyServer, new ExplorationOptions { Strategy = strategy, IterationsMax = IterationsMax });

    [Theory]
    [InlineData(ExplorationStrategy.Random)]
    [InlineData(ExplorationStrategy.Prioritization)]
    [InlineData(ExplorationStrategy.Probabilistic)]
    public void Explore_ServerWithUnlockedWriteAhead_FindsTheLostUpdate(ExplorationStrategy strategy)
    {
        var wall = Stopwatch.StartNew();
        var result = ExploreBuggyServer(strategy);
        output.WriteLine($"{strategy}: found in iteration {result.FailingIteration} of at most {IterationsMax}, {wall.Elapsed.TotalMilliseconds:0} ms\n{result}");

        Assert.True(result.BugFound, result.ToString());
        Assert.Equal(result.Iterations, result.FailingIteration);
        Assert.InRange(result.Iterations, 1, (int)IterationsMax);
        Assert.IsType<InvalidOperationException>(result.Failure);
        Assert.StartsWith("lost update: visits is 3 after 4 INCRs", result.Failure.Message, StringComparison.Ordinal);
        Assert.NotEmpty(result.FailingChoices!);
    }

    [Theory]
    [InlineData(ExplorationStrategy.Random)]
    [InlineData(ExplorationStrategy.Prioritization)]
    [InlineData(ExplorationStrategy.Probabilistic)]
    public void Replay_ChoicesOfTheFailingIteration_ReproduceTheLostUpdateAndItsTraceHash(ExplorationStrategy strategy)
    {
        var result = ExploreBuggyServer(strategy);
        Assert.True(result.BugFound, result.ToString());

        // The log as the explorer returned it, then twice through its text form, as a saved log travels.
        var logs = new[] { result.FailingChoices!, ChoiceLog.Parse(result.FailingChoices!.ToText()), ChoiceLog.Parse(result.FailingChoices!.ToText()) };
        foreach (var log in logs)
        {
            var replay = new ReplayChoices(log);
            var simulation = new Simulation(0, s_quiet, replay);

            var error = Assert.Throws<InvalidOperationException>(() => BuggyServer(simulation));
            simulation.Loop.Close();

            Assert.Equal(result.Failure!.Message, error.Message);
            Assert.Equal(result.FailingTraceHash, simulation.Trace.Hash);
            Assert.Equal(0, replay.Remaining);
            replay.ThrowIfNotFinished();
            // The cause is in the trace: two INCRs journaled the same count, one computed while the other synced.
            var journaled = simulation.Trace.Events
                .Where(e => e is { Host: "kv.sim", Kind: "kv.journal" } && e.Details.StartsWith("visits = ", StringComparison.Ordinal))
                .Select(e => e.Details)
                .ToList();
            Assert.Equal(4, journaled.Count);
            Assert.Equal(3, journaled.Distinct(StringComparer.Ordinal).Count());
        }
    }

    [Fact]
    public void Explore_ServerWithLockedMutations_PassesEveryIteration()
    {
        var wall = Stopwatch.StartNew();
        var result = CoyoteExplorer.Explore(
            simulation => new KeyValueScenario().Run(simulation),
            new ExplorationOptions { IterationsMax = IterationsMax });
        output.WriteLine($"{result}, {wall.Elapsed.TotalMilliseconds:0} ms");

        Assert.False(result.BugFound, result.ToString());
        Assert.Equal((int)IterationsMax, result.Iterations);
    }

    [Fact]
    public void Explore_TwentyStrategySeeds_FindTheLostUpdateEveryTime()
    {
        // Seeds 10,000 apart, so the explorations share no iterations (see ExplorationOptions.StrategySeed).
        var wall = Stopwatch.StartNew();
        var found = new List<int>();
        for (uint seed = 0; seed < 20; seed++)
        {
            var result = CoyoteExplorer.Explore(BuggyServer, new ExplorationOptions { IterationsMax = IterationsMax, StrategySeed = seed * 10_000 });
            Assert.True(result.BugFound, $"strategy seed {seed * 10_000}: {result}");
            found.Add(result.FailingIteration!.Value);
        }
        output.WriteLine($"iterations to find: {string.Join(", ", found)}; min {found.Min()}, mean {found.Average():0.0}, max {found.Max()}; {wall.Elapsed.TotalMilliseconds:0} ms");
    }
}

using System.Diagnostics;
using Sim.Coyote;
using Sim.Net;
using Xunit.Abstractions;

namespace Sim.Tests.Simulations;

/// <summary>
/// Coyote's TestingEngine steers a simulation through its choices: each strategy finds the
/// planted lost update (1 choice triple in 64) well within its iteration bound, and the choices
/// it reports replay the failure exactly.
/// </summary>
[Trait("Category", "Concurrency")]
public sealed class CoyoteExplorationTests(ITestOutputHelper output)
{
    // 1 failing triple in 64: 1,000 iterations miss it with probability (63/64)^1000 < 1e-6, and
    // the strategies' seeds are fixed, so the counts below repeat run to run.
    private const uint IterationsMax = 1_000;

    private static void LostUpdateScenario(Simulation simulation) => simulation.RunUntilComplete(ChoicePrograms.LostUpdate(simulation));

    [Theory]
    [InlineData(ExplorationStrategy.Random)]
    [InlineData(ExplorationStrategy.Prioritization)]
    [InlineData(ExplorationStrategy.Probabilistic)]
    public void Explore_PlantedLostUpdate_FindsItWithTheThreeChoicesThatCauseIt(ExplorationStrategy strategy)
    {
        var wall = Stopwatch.StartNew();
        var result = CoyoteExplorer.Explore(LostUpdateScenario, new ExplorationOptions { Strategy = strategy, IterationsMax = IterationsMax });
        output.WriteLine($"{strategy}: {result.Iterations} iterations, {wall.Elapsed.TotalMilliseconds:0} ms\n{result}");

        Assert.True(result.BugFound, result.ToString());
        Assert.Equal(result.Iterations, result.FailingIteration);
        Assert.InRange(result.Iterations, 1, (int)IterationsMax);
        Assert.IsType<InvalidOperationException>(result.Failure);
        Assert.Equal("lost update: the counter is 1 after two increments", result.Failure.Message);
        // The cause, in draw order: A's delay, B's delay (the same instant), A's slow path.
        var choices = result.FailingChoices!;
        Assert.Equal(3, choices.Count);
        Assert.All(choices, choice => Assert.Equal(ChoiceKind.Int, choice.Kind));
        Assert.Equal(choices[0].IntValue, choices[1].IntValue);
        Assert.Equal(7, choices[2].IntValue);
        Assert.Contains("iteration", result.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(ExplorationStrategy.Random)]
    [InlineData(ExplorationStrategy.Prioritization)]
    [InlineData(ExplorationStrategy.Probabilistic)]
    public void Replay_ChoicesOfTheFailingIteration_ReproduceTheFailureAndItsTrace(ExplorationStrategy strategy)
    {
        var result = CoyoteExplorer.Explore(LostUpdateScenario, new ExplorationOptions { Strategy = strategy, IterationsMax = IterationsMax });
        Assert.True(result.BugFound, result.ToString());

        // Through the text form, as a saved log would travel; twice, to show it is deterministic.
        for (var attempt = 0; attempt < 2; attempt++)
        {
            var replay = new ReplayChoices(ChoiceLog.Parse(result.FailingChoices!.ToText()));
            var simulation = new Simulation(0, new SimulationOptions { Log = TextWriter.Null }, replay);

            var error = Assert.Throws<InvalidOperationException>(() => LostUpdateScenario(simulation));

            Assert.Equal(result.Failure!.Message, error.Message);
            Assert.Equal(result.FailingTraceHash, simulation.Trace.Hash);
            Assert.Equal(0, replay.Remaining);
        }
    }

    [Fact]
    public void Explore_ProgramWithoutTheBug_RunsEveryIterationAndReportsNoFailure()
    {
        var result = CoyoteExplorer.Explore(
            simulation => simulation.RunUntilComplete(ChoicePrograms.LostUpdate(simulation, slowPathAwaits: false)),
            new ExplorationOptions { IterationsMax = 200 });

        Assert.False(result.BugFound);
        Assert.Equal(200, result.Iterations);
        Assert.Null(result.FailingChoices);
        Assert.Equal("coyote random: no failure in 200 iterations", result.ToString());
    }

    [Fact]
    public void Explore_SameOptionsTwice_FindsTheSameIterationAndChoices()
    {
        var options = new ExplorationOptions { Strategy = ExplorationStrategy.Random, IterationsMax = IterationsMax, StrategySeed = 17 };

        var first = CoyoteExplorer.Explore(LostUpdateScenario, options);
        var second = CoyoteExplorer.Explore(LostUpdateScenario, options);

        Assert.Equal(first.FailingIteration, second.FailingIteration);
        Assert.Equal(first.FailingChoices, second.FailingChoices);
    }
}

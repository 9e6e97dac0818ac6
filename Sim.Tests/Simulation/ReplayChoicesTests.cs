using Sim.Net;
using Sim.Tests.Infrastructure;

namespace Sim.Tests.Simulations;

/// <summary>
/// Every choice a simulation draws is recorded; replaying the log reproduces the run event for
/// event, and a replay whose program asks a different question fails at once, naming the step.
/// </summary>
[Trait("Category", "Simulation")]
public sealed class ReplayChoicesTests
{
    private static SimulationOptions Quiet => new() { Log = TextWriter.Null };

    private static Simulation Record(long seed) => ChoicePrograms.RunWorkers(TestLoops.NewSimulation(seed));

    private static Simulation Replay(ChoiceLog log, out ReplayChoices replay)
    {
        replay = new ReplayChoices(log);
        return new Simulation(0, Quiet, replay);
    }

    [Fact]
    public void RecordedChoices_SeededRun_HoldsEveryDrawInOrderWithItsSeed()
    {
        var simulation = Record(seed: 11);
        var log = simulation.RecordedChoices;

        // 4 workers x 3 steps: a delay, a coin and an executor latency each.
        Assert.Equal(36, log.Count);
        Assert.Equal(12, log.Count(c => c.Kind == ChoiceKind.Int && c.Bound == 1000));
        Assert.Equal(12, log.Count(c => c.Kind == ChoiceKind.Bool && c.Bound == 0.3));
        Assert.Equal(12, log.Count(c => c.Kind == ChoiceKind.Double));
        Assert.Equal(11, log.Seed);
        Assert.False(log.Truncated);
        // The log is what the seed's PRNG said: its first answer is the seed's first NextInt(1000).
        Assert.Equal(Choice.Int(1000, new SeededChoices(11).NextInt(1000)), log[0]);
    }

    [Fact]
    public void Replay_RecordedLog_GivesIdenticalTraceHashAndEvents()
    {
        var recorded = Record(seed: 11);

        var replayed = ChoicePrograms.RunWorkers(Replay(recorded.RecordedChoices, out var replay));

        Assert.Equal(recorded.Trace.Hash, replayed.Trace.Hash);
        Assert.Equal(recorded.Trace.Events, replayed.Trace.Events);
        Assert.Null(ChoiceLog.FirstDifference(recorded.RecordedChoices, replayed.RecordedChoices));
        Assert.Equal(0, replay.Remaining);
        replay.ThrowIfNotFinished();
        // The replay's own log knows the seed it came from.
        Assert.Equal(11, replayed.RecordedChoices.Seed);
    }

    [Fact]
    public void Replay_LogSavedAsTextAndLoaded_GivesIdenticalTraceHash()
    {
        var recorded = Record(seed: 12);
        var path = Path.Combine(Path.GetTempPath(), $"simloop-choices-{Environment.ProcessId}-{nameof(Replay_LogSavedAsTextAndLoaded_GivesIdenticalTraceHash)}.choices");
        try
        {
            recorded.RecordedChoices.Save(path);
            var loaded = ChoiceLog.Load(path);

            var replayed = ChoicePrograms.RunWorkers(Replay(loaded, out _));

            Assert.Equal(recorded.Trace.Hash, replayed.Trace.Hash);
            Assert.Equal(recorded.RecordedChoices, loaded);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Replay_LogWithOneBoundTampered_ThrowsNamingThatStep()
    {
        var log = Record(seed: 11).RecordedChoices;
        var tampered = new ChoiceLog(log.Select((c, i) => i == 5 ? c with { Bound = c.Bound + 1 } : c), log.Seed);

        var error = Assert.Throws<ReplayDivergenceException>(() => ChoicePrograms.RunWorkers(Replay(tampered, out _)));

        Assert.Equal(5, error.Step);
        Assert.Equal(tampered[5], error.Recorded);
        Assert.StartsWith("Replay diverged at step 5: the program asked for ", error.Message, StringComparison.Ordinal);
        Assert.Contains($"but the log recorded {Choice.DescribeQuestion(tampered[5].Kind, tampered[5].Bound)} ('{tampered[5]}')", error.Message, StringComparison.Ordinal);
        Assert.Contains("not a pure function of its choices", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Replay_LogWithAKindSwapped_ThrowsNamingTheStepAndBothQuestions()
    {
        var log = Record(seed: 11).RecordedChoices;
        var step = log.ToList().FindIndex(c => c.Kind == ChoiceKind.Int);
        var tampered = new ChoiceLog(log.Select((c, i) => i == step ? Choice.Double(0.5) : c));

        var error = Assert.Throws<ReplayDivergenceException>(() => ChoicePrograms.RunWorkers(Replay(tampered, out _)));

        Assert.Equal(step, error.Step);
        Assert.Contains($"step {step}: the program asked for an int in [0, 1000), but the log recorded a double in [0, 1) ('double 1 0.5')", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Replay_LogCutShort_ThrowsAtTheFirstMissingStep()
    {
        var log = Record(seed: 11).RecordedChoices;
        var shortened = new ChoiceLog(log.Take(20));

        var error = Assert.Throws<ReplayDivergenceException>(() => ChoicePrograms.RunWorkers(Replay(shortened, out _)));

        Assert.Equal(20, error.Step);
        Assert.Null(error.Recorded);
        Assert.Contains("step 20", error.Message, StringComparison.Ordinal);
        Assert.Contains("the log ends after 20 choice(s)", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ThrowIfNotFinished_ChoicesLeftOver_ThrowsNamingTheFirstUnusedStep()
    {
        var log = Record(seed: 11).RecordedChoices;
        var longer = new ChoiceLog(log.Append(Choice.Int(7, 3)));

        ChoicePrograms.RunWorkers(Replay(longer, out var replay));
        var error = Assert.Throws<ReplayDivergenceException>(replay.ThrowIfNotFinished);

        Assert.Equal(36, error.Step);
        Assert.Equal(1, replay.Remaining);
        Assert.Contains("step 36: the run finished, but the log recorded 1 more choice(s), starting with 'int 7 3'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ReplayChoices_TruncatedLog_IsRefusedUpFront()
    {
        var simulation = new Simulation(3, new SimulationOptions { Log = TextWriter.Null, ChoicesKeptMax = 10 });
        ChoicePrograms.RunWorkers(simulation);

        Assert.True(simulation.RecordedChoices.Truncated);
        Assert.Equal(10, simulation.RecordedChoices.Count);
        var error = Assert.Throws<ArgumentException>(() => new ReplayChoices(simulation.RecordedChoices));
        Assert.Contains("stopped recording after 10 choices", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ReplayChoices_BadArguments_AreRejectedLikeSeededChoices()
    {
        var replay = new ReplayChoices(new ChoiceLog([Choice.Int(3, 1)]));
        Assert.Throws<ArgumentOutOfRangeException>(() => replay.NextInt(0));
        Assert.Throws<ArgumentOutOfRangeException>(() => replay.NextBool(1.5));
        Assert.Equal(0, replay.Position);
        Assert.Equal(1, replay.NextInt(3));
    }
}

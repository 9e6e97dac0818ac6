using System.Globalization;
using Sim.Core;
using Sim.Net;

namespace Sim.Tests.Simulations;

/// <summary>
/// <see cref="Simulation.RunTwice"/> runs a scenario twice on one seed and reports the first
/// divergent event, with the events that led to it, the choices and the outcomes.
/// </summary>
[Trait("Category", "Simulation")]
public sealed class RunTwiceTests
{
    private static readonly SimulationOptions s_quiet = new() { Log = TextWriter.Null };

    [Fact]
    public void RunTwice_DeterministicScenario_ReportsNoDivergence()
    {
        var report = Simulation.RunTwice(7, simulation => simulation.RunUntilComplete(ChoicePrograms.Workers(simulation)), s_quiet);

        Assert.False(report.Diverged);
        Assert.Null(report.EventIndex);
        Assert.Equal(report.Hashes.First, report.Hashes.Second);
        Assert.Equal(("completed", "completed"), report.Outcomes);
        Assert.Matches("^Deterministic: two runs of seed 7 recorded the same [0-9]+ events \\(trace hash [0-9a-f]{16}\\) and drew the same 36 choices\\.$", report.ToString());
    }

    [Fact]
    public void RunTwice_ScenarioWithAHiddenInput_NamesTheFirstDivergentEventAndWhatLedToIt()
    {
        // The hidden input: how many times the scenario has run, read after a few seeded steps.
        var runs = 0;
        async Coroutine Program(Simulation simulation, int run)
        {
            for (var step = 0; step < 3; step++)
            {
                await Asyncio.Sleep(simulation.Choices.NextInt(10));
                simulation.Trace.Record("main", "step", step.ToString(CultureInfo.InvariantCulture));
            }
            simulation.Trace.Record("main", "hidden", run.ToString(CultureInfo.InvariantCulture));
            await Asyncio.Sleep(1);
        }

        var report = Simulation.RunTwice(3, simulation => simulation.RunUntilComplete(Program(simulation, ++runs)), s_quiet);

        Assert.True(report.Diverged);
        Assert.NotNull(report.EventIndex);
        Assert.Equal("main hidden 1", $"{report.Events.First?.Host} {report.Events.First?.Kind} {report.Events.First?.Details}");
        Assert.Equal("main hidden 2", $"{report.Events.Second?.Host} {report.Events.Second?.Kind} {report.Events.Second?.Details}");
        Assert.Equal(5, report.Context.Count);
        Assert.Null(report.ChoiceStep);
        var text = report.ToString();
        Assert.StartsWith($"Nondeterminism: two runs of seed 3 diverged at event {report.EventIndex} (", text, StringComparison.Ordinal);
        Assert.Contains($"event {report.EventIndex}, first run : {report.Events.First}", text, StringComparison.Ordinal);
        Assert.Contains($"event {report.EventIndex}, second run: {report.Events.Second}", text, StringComparison.Ordinal);
        Assert.Contains("the 5 event(s) before it, the same in both runs:", text, StringComparison.Ordinal);
        Assert.Contains("main step 2", text, StringComparison.Ordinal);
        Assert.Contains("the difference is not in the choices (a hidden input?)", text, StringComparison.Ordinal);
    }

    [Fact]
    public void RunTwice_HiddenInputChangesTheChoices_NamesTheFirstDivergentChoiceAndTheOutcomes()
    {
        var runs = 0;
        var report = Simulation.RunTwice(3, simulation =>
        {
            runs++;
            simulation.Choices.NextInt(10);
            simulation.Choices.NextInt(runs == 1 ? 10 : 20);
            if (runs == 2)
                throw new InvalidOperationException("second run broke");
        }, s_quiet);

        Assert.True(report.Diverged);
        Assert.Equal(1, report.ChoiceStep);
        Assert.Equal(("completed", "InvalidOperationException: second run broke"), report.Outcomes);
        var text = report.ToString();
        Assert.Contains("choices: the first 1 agree; step 1 is 'int 10 ", text, StringComparison.Ordinal);
        Assert.Contains("in the second", text, StringComparison.Ordinal);
        Assert.Contains("outcomes: first run completed; second run InvalidOperationException: second run broke", text, StringComparison.Ordinal);
    }
}

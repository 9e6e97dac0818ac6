using System.Globalization;
using System.Text.RegularExpressions;
using Sim.Examples;
using Sim.Examples.UdpEcho;
using Sim.Net;

namespace Sim.Tests.Examples;

/// <summary>
/// The UDP echo example on seeds, on its own lossy network (20% loss, 10% duplication, 3 ms of
/// jitter): every request is answered exactly once in spite of the faults, which do happen on
/// every seed, and the run repeats exactly; the server without its duplicate check is caught
/// by the exactly-once invariant, each failing seed the same way every time it runs.
/// </summary>
[Trait("Category", "Simulation")]
public sealed partial class UdpEchoScenarioTests
{
    private const int Seeds = 50;

    [Fact]
    public void UdpEcho_FiftySeedsEachRunTwice_NoDivergenceAndEveryRequestAnsweredOnceThroughTheFaults()
    {
        var scenario = ScenarioCatalog.Find("udp-echo")!;
        for (var seed = 1; seed <= Seeds; seed++)
        {
            var summaries = new List<string>();
            var report = Simulation.RunTwice(seed, simulation => summaries.Add(scenario.Run(simulation)), ScenarioRuns.QuietOptions(scenario));

            Assert.False(report.Diverged, report.ToString());
            Assert.Equal(("completed", "completed"), report.Outcomes);
            Assert.Equal(summaries[0], summaries[1]);
            Assert.StartsWith("requests 80 answered once each, ", summaries[0], StringComparison.Ordinal);
            Assert.True(Count(summaries[0], "lost") > 0 && Count(summaries[0], "duplicated") > 0 && Count(summaries[0], "retransmitted") > 0,
                $"seed {seed} met no fault: {summaries[0]}");
        }
    }

    [Fact]
    public void UdpEcho_SummaryCounts_AgreeWithTheTrace()
    {
        var scenario = ScenarioCatalog.Find("udp-echo")!;
        var simulation = new Simulation(7, ScenarioRuns.QuietOptions(scenario));

        var summary = scenario.Run(simulation);

        var events = simulation.Trace.Events;
        Assert.Equal(simulation.Trace.Count, events.Count);
        Assert.Equal(events.Count(e => e.Kind is "udp.lost" or "udp.drop"), Count(summary, "lost"));
        Assert.Equal(events.Count(e => e.Kind == "udp.duplicate"), Count(summary, "duplicated"));
        Assert.Equal(events.Count(e => e.Kind == "udp-echo.retransmit"), Count(summary, "retransmitted"));
        Assert.Equal(events.Count(e => e.Kind == "udp-echo.replay"), Count(summary, "server replays"));
        Assert.Equal(80, events.Count(e => e.Kind == "udp-echo.execute"));
        Assert.Equal(80, events.Count(e => e.Kind == "udp-echo.deliver"));
    }

    [Fact]
    public void UdpEchoNoDedup_FiftySeeds_CaughtByTheExactlyOnceInvariantTheSameWayTwice()
    {
        var scenario = new UdpEchoScenario(deduplicates: false);
        var failing = ScenarioRuns.FailingSeeds(scenario, Seeds, outcome => Assert.Matches(NotExactlyOnce(), outcome));
        // A duplicated request or a lost reply is a request executed twice: every seed has some.
        Assert.InRange(failing, Seeds * 9 / 10, Seeds);
    }

    [Fact]
    public void UdpEcho_OnANetworkWithoutItsFaults_RefusesToRunWithAClearError()
    {
        var scenario = ScenarioCatalog.Find("udp-echo")!;
        var simulation = new Simulation(1, new SimulationOptions { Log = TextWriter.Null });

        var error = Assert.Throws<ArgumentException>(() => scenario.Run(simulation));

        Assert.Contains("build the simulation with the scenario's Network options", error.Message, StringComparison.Ordinal);
        simulation.Loop.Close();
    }

    private static int Count(string summary, string what) =>
        int.Parse(Regex.Match(summary, $@"{what} (?:at least )?(\d+)").Groups[1].Value, CultureInfo.InvariantCulture);

    [GeneratedRegex(@"^InvalidOperationException: not exactly once: the server executed request \d+ from 10\.0\.1\.\d:\d+ [2-9] times$")]
    private static partial Regex NotExactlyOnce();
}

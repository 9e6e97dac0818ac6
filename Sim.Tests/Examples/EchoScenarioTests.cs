using System.Globalization;
using System.Text.RegularExpressions;
using Sim.Examples;
using Sim.Examples.Echo;
using Sim.Net;

namespace Sim.Tests.Examples;

/// <summary>
/// The TCP echo example on seeds, on its own network (segments of at most 1,460 bytes, a 16 KiB
/// window): every message comes back intact and in order and the run repeats exactly; the planted
/// short read is caught by the invariant, each failing seed the same way every time it runs.
/// </summary>
[Trait("Category", "Simulation")]
public sealed partial class EchoScenarioTests
{
    private const int Seeds = 50;

    [Fact]
    public void Echo_FiftySeedsEachRunTwice_NoDivergenceAndEveryMessageEchoed()
    {
        var scenario = ScenarioCatalog.Find("echo")!;
        var halfClosedWithEchoesOnTheirWay = 0;
        for (var seed = 1; seed <= Seeds; seed++)
        {
            var summaries = new List<string>();
            var report = Simulation.RunTwice(seed, simulation => summaries.Add(scenario.Run(simulation)), ScenarioRuns.QuietOptions(scenario));

            Assert.False(report.Diverged, report.ToString());
            Assert.Equal(("completed", "completed"), report.Outcomes);
            Assert.Equal(summaries[0], summaries[1]);
            Assert.StartsWith("clients 4, messages echoed 48, bytes ", summaries[0], StringComparison.Ordinal);
            halfClosedWithEchoesOnTheirWay += InFlightAtHalfClose(summaries[0]) > 0 ? 1 : 0;
        }
        // The half-close is exercised: echoes still come back after the client's FIN.
        Assert.InRange(halfClosedWithEchoesOnTheirWay, Seeds / 2, Seeds);
    }

    [Fact]
    public void EchoShortRead_FiftySeeds_CaughtByTheInvariantTheSameWayTwice()
    {
        var scenario = new EchoScenario(readsWholePayloads: false);
        var failing = ScenarioRuns.FailingSeeds(scenario, Seeds, outcome => Assert.Matches(ClientFailure(), outcome));
        // A payload split by the network is a short read: nearly every seed splits one.
        Assert.InRange(failing, Seeds * 9 / 10, Seeds);
    }

    [Fact]
    public void Echo_DifferentSeeds_DifferentInterleavings()
    {
        var scenario = ScenarioCatalog.Find("echo")!;
        var summaries = Enumerable.Range(1, 10)
            .Select(seed => scenario.Run(new Simulation(seed, ScenarioRuns.QuietOptions(scenario))))
            .ToList();
        Assert.Equal(10, summaries.Distinct(StringComparer.Ordinal).Count());
    }

    private static long InFlightAtHalfClose(string summary) =>
        long.Parse(InFlight().Match(summary).Groups[1].Value, CultureInfo.InvariantCulture);

    [GeneratedRegex(@"in flight at half-close (\d+),")]
    private static partial Regex InFlight();

    // What a client reports when its echoes come back short, changed or out of step.
    [GeneratedRegex(@"^InvalidOperationException: client \d: (the echo stream ended inside message \d+|byte \d+ of message \d+ came back changed|message \d+ came back as \d+ bytes|at message \d+, a header announces|the connection failed at message \d+)")]
    private static partial Regex ClientFailure();
}

using Sim.Examples;
using Sim.Net;

// Not Sim.Tests.Simulation: a namespace of that name would hide the Sim.Simulation type.
namespace Sim.Tests.Simulations;

/// <summary>The chat scenario over the simulated network is a pure function of its seed.</summary>
[Trait("Category", "Simulation")]
public sealed class NetworkDeterminismTests
{
    private static (string Summary, Simulation Simulation) RunChat(long seed)
    {
        var simulation = new Simulation(seed, new SimulationOptions { Log = TextWriter.Null });
        try
        {
            return (ScenarioCatalog.Find("chat")!.Run(simulation), simulation);
        }
        finally
        {
            simulation.Loop.Close();
        }
    }

    [Fact]
    public void Chat_ThousandSeedsEachRunTwice_IdenticalTraceHashes()
    {
        var hashes = new List<string>();
        for (var seed = 1; seed <= 1_000; seed++)
        {
            var (firstSummary, first) = RunChat(seed);
            var (secondSummary, second) = RunChat(seed);
            Assert.Equal(firstSummary, secondSummary);
            Assert.True(first.Trace.Hash == second.Trace.Hash,
                $"seed {seed}: traces {first.Trace.Hash} and {second.Trace.Hash} diverge at event {SimulationTrace.FirstDivergence(first.Trace, second.Trace)}");
            Assert.Contains("lines delivered 120", firstSummary, StringComparison.Ordinal);
            hashes.Add(first.Trace.Hash);
        }
        Assert.True(hashes.Distinct(StringComparer.Ordinal).Count() >= 990, "different seeds should give different runs");
    }

    [Fact]
    public void Chat_Trace_RecordsConnectionsSegmentsAndTheirHosts()
    {
        var (_, simulation) = RunChat(3);
        var events = simulation.Trace.Events;
        Assert.Equal(4, events.Count(e => e is { Host: "chat.sim", Kind: "tcp.accept" }));
        Assert.Contains(events, e => e is { Host: "client2.sim", Kind: "tcp.connect" } && e.Details.StartsWith("10.0.1.3:", StringComparison.Ordinal));
        Assert.Contains(events, e => e.Kind == "tcp.deliver");
        Assert.Contains(events, e => e.Kind == "tcp.eof");
        Assert.Equal(120, events.Count(e => e.Kind == "chat.line"));
        Assert.Equal(0, simulation.Network.OpenConnections);
    }
}

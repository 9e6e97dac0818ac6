using System.Globalization;
using Sim.Core;
using Sim.Net;

namespace Sim.Examples.UdpEcho;

/// <summary>
/// A UDP echo over a lossy simulated network: a <see cref="UdpEchoServer"/> on host echo.sim and
/// <see cref="ClientCount"/> stop-and-wait <see cref="UdpEchoClient"/>s on hosts of their own,
/// each sending <see cref="RequestsPerClient"/> numbered requests of seeded sizes. The network
/// loses, duplicates and reorders datagrams by the seed. Invariants: every client's application
/// takes each reply exactly once, in order, each the echo of its request; the server executes
/// each request exactly once; no datagram breaks the protocol; no endpoint reports an error.
/// </summary>
/// <remarks>
/// <c>new UdpEchoScenario(deduplicates: false)</c> runs the server without its duplicate check
/// (see <see cref="UdpEchoServer"/>), which the exactly-once invariant catches.
/// </remarks>
public sealed class UdpEchoScenario(bool deduplicates = true) : IScenario
{
    // Enough clients for their datagrams to interleave at the server, enough requests for loss
    // and duplication to hit each client several times, few enough for campaigns of hundreds of seeds.
    private const int ClientCount = 4;
    private const int RequestsPerClient = 20;
    private const int Port = 7;

    public string Name => deduplicates ? "udp-echo" : "udp-echo-no-dedup";

    public string Description => deduplicates
        ? $"{ClientCount} stop-and-wait clients on their own hosts send {RequestsPerClient} requests each to a UDP echo server through loss, duplication and reordering"
        : "the udp-echo scenario on a server that executes a repeated request again (a planted bug)";

    /// <summary>
    /// A fifth of datagrams lost and a tenth duplicated: several of each per client every seed.
    /// Latency 50 µs to 2 ms (the defaults) plus up to 3 ms of jitter: a datagram often overtakes
    /// one sent a moment before it, so late duplicates and stale retransmissions arrive out of order.
    /// </summary>
    public NetworkOptions Network => new()
    {
        DatagramLossProbability = 0.2,
        DatagramDuplicationProbability = 0.1,
        DatagramJitterMax = 0.003,
    };

    public string Run(Simulation simulation)
    {
        ArgumentNullException.ThrowIfNull(simulation);
        var network = simulation.Network.Options;
        if (!(network.DatagramLossProbability > 0 && network.DatagramDuplicationProbability > 0 && network.DatagramJitterMax > 0))
            throw new ArgumentException(
                $"{Name} tests a retry protocol against lost, duplicated and reordered datagrams: build the simulation with the scenario's Network options, which switch them on",
                nameof(simulation));
        var report = simulation.RunUntilComplete(Main(simulation));
        var trace = simulation.Trace;
        var lost = trace.Events.Count(e => e.Kind is "udp.lost" or "udp.drop");
        var duplicated = trace.Events.Count(e => e.Kind == "udp.duplicate");
        // Counted over the kept events: when the trace kept only the first ones, the counts are lower bounds.
        var atLeast = trace.Count > trace.Events.Count ? "at least " : "";
        return string.Create(CultureInfo.InvariantCulture,
            $"requests {report.Requests} answered once each, datagrams lost {atLeast}{lost}, duplicated {atLeast}{duplicated}, retransmitted {report.Retransmits}, replies ignored {report.RepliesIgnored}, server replays {report.Replays}, stale requests {report.StaleIgnored}, virtual {simulation.Loop.Time():0.000000}s, trace {trace.Hash}");
    }

    private async Coroutine<Report> Main(Simulation simulation)
    {
        simulation.AddHost("echo.sim", "10.0.0.1");
        for (var c = 0; c < ClientCount; c++)
            simulation.AddHost($"client{c}.sim", AddressOf(c));
        var loop = simulation.Loop;
        var (serverTransport, server) = await loop.CreateDatagramEndpoint(() => new UdpEchoServer(simulation.Trace, deduplicates), localAddress: ("echo.sim", Port));
        var clients = Enumerable.Range(0, ClientCount)
            .Select(c => new UdpEchoClient(simulation, c, DrawSizes(simulation)))
            .ToList();
        var tasks = clients.Select((client, c) => loop.CreateTask(client.Run("echo.sim", Port, AddressOf(c)), $"client-{c}")).ToList();
        foreach (var task in tasks)
            await task;
        serverTransport.Close();
        Check(server, clients);
        return new Report(
            clients.Sum(client => client.Delivered.Count),
            clients.Sum(client => client.Retransmits),
            clients.Sum(client => client.RepliesIgnored),
            server.Replays,
            server.StaleIgnored);
    }

    /// <summary>Every request's payload size, drawn up front: [0, PayloadSizeMax] bytes.</summary>
    private static int[] DrawSizes(Simulation simulation) =>
        Enumerable.Range(0, RequestsPerClient).Select(_ => simulation.Choices.NextInt(UdpEchoDatagrams.PayloadSizeMax + 1)).ToArray();

    /// <summary>Exactly once, on both sides: each client's application took replies 0..n-1 in
    /// order, and the server executed each client's requests 0..n-1, each once.</summary>
    private static void Check(UdpEchoServer server, List<UdpEchoClient> clients)
    {
        var expected = Enumerable.Range(0, RequestsPerClient).ToList();
        for (var c = 0; c < clients.Count; c++)
        {
            if (clients[c].Errors.Count > 0)
                throw new InvalidOperationException($"client {c}'s endpoint reported {string.Join("; ", clients[c].Errors)}");
            if (!clients[c].Delivered.SequenceEqual(expected))
                throw new InvalidOperationException($"client {c}'s application took replies {string.Join(", ", clients[c].Delivered)}");
        }
        if (server.Violations.Count > 0)
            throw new InvalidOperationException($"protocol broken: {string.Join("; ", server.Violations)}");
        if (server.Sessions.Count != ClientCount)
            throw new InvalidOperationException($"the server heard from {server.Sessions.Count} addresses, {ClientCount} clients sent");
        foreach (var session in server.Sessions)
        {
            if (session.Executed.SequenceEqual(expected))
                continue;
            var repeated = session.Executed.GroupBy(n => n).FirstOrDefault(g => g.Count() > 1);
            throw new InvalidOperationException(repeated is not null
                ? string.Create(CultureInfo.InvariantCulture, $"not exactly once: the server executed request {repeated.Key} from {session.Address} {repeated.Count()} times")
                : $"the server executed {session.Address}'s requests {string.Join(", ", session.Executed)}");
        }
    }

    private static string AddressOf(int client) => string.Create(CultureInfo.InvariantCulture, $"10.0.1.{client + 1}");

    private sealed record Report(int Requests, int Retransmits, int RepliesIgnored, int Replays, int StaleIgnored);
}

using System.Globalization;
using System.Net;
using Sim.Core;
using Sim.Net;

namespace Sim.Examples.KeyValue;

/// <summary>
/// Two clients of a <see cref="KeyValueServer"/>, alice and bob on hosts of their own, talk to it
/// at once: each sets <c>last-visitor</c> to its name, increments <c>visits</c>, reads
/// <c>last-visitor</c> back (its own name or the other's overwrite) and increments <c>visits</c>
/// again. The network's seeded latencies and chunking decide how their messages interleave.
/// Invariant: the four increments get four different replies and leave <c>visits</c> at 4.
/// </summary>
/// <remarks>
/// <c>new KeyValueScenario(lockMutations: false)</c> runs the server with its planted lost update
/// (see <see cref="KeyValueServer"/>): most interleavings still pass; the few where the two
/// clients' INCRs reach the server within a journal sync of each other break the invariant.
/// <c>new KeyValueScenario(linkFaults: true)</c> ('kv-partitions') adds a nemesis that, while the
/// clients visit, cuts or clogs a seeded client's link to the server for a seeded while, one way
/// or both: TCP holds the bytes at the cut and delivers them on repair, so the invariant holds.
/// </remarks>
public sealed class KeyValueScenario(bool lockMutations = true, bool linkFaults = false) : IScenario
{
    private const int Port = 6379;
    private const string Counter = "visits";
    private const string Register = "last-visitor";
    private static readonly string[] s_clients = ["alice", "bob"];

    // Each client increments twice: two chances per client to meet the other's INCR.
    private const int IncrementsPerClient = 2;

    public string Name => (lockMutations, linkFaults) switch
    {
        (true, false) => "kv",
        (true, true) => "kv-partitions",
        (false, false) => "kv-lost-update",
        (false, true) => "kv-lost-update-partitions",
    };

    public string Description => (lockMutations, linkFaults) switch
    {
        (true, false) => $"{s_clients.Length} clients on their own hosts SET, GET and INCR one key-value server at once",
        (true, true) => "the kv scenario while a seeded nemesis partitions and clogs the clients' links (TCP holds the bytes: the invariant holds)",
        (false, false) => "the kv scenario on a server whose INCR loses updates under one interleaving (a planted bug)",
        (false, true) => "the kv-lost-update scenario (a planted bug) under the kv-partitions nemesis",
    };

    public string Run(Simulation simulation)
    {
        ArgumentNullException.ThrowIfNull(simulation);
        var visits = simulation.RunUntilComplete(Main(simulation));
        return string.Create(CultureInfo.InvariantCulture,
            $"{Counter} {visits}, virtual {simulation.Loop.Time():0.000000}s, trace {simulation.Trace.Hash}");
    }

    private async Coroutine<long> Main(Simulation simulation)
    {
        simulation.AddHost("kv.sim", "10.0.0.1");
        for (var c = 0; c < s_clients.Length; c++)
            simulation.AddHost($"{s_clients[c]}.sim", AddressOf(c));
        var store = new KeyValueServer(simulation.Trace, lockMutations);
        var server = await Asyncio.StartServer(store.Serve, "kv.sim", Port);
        var loop = simulation.Loop;
        var clients = Enumerable.Range(0, s_clients.Length)
            .Select(c => loop.CreateTask(Visit(simulation, c), s_clients[c]))
            .ToList();
        var nemesis = linkFaults ? loop.CreateTask(Nemesis(simulation), "nemesis") : null;
        var replies = new List<long>();
        foreach (var client in clients)
            replies.AddRange(await client);
        if (nemesis is not null)
        {
            nemesis.Cancel();
            await Asyncio.Gather([nemesis], returnExceptions: true);
            simulation.Network.RepairAll();
        }

        var checker = await KeyValueClient.Connect("kv.sim", Port, new IPEndPoint(IPAddress.Parse(AddressOf(0)), 0));
        var visits = long.Parse(await checker.Get(Counter) ?? "0", CultureInfo.InvariantCulture);
        await checker.Close();
        server.Close();
        await server.WaitClosed();

        var expected = s_clients.Length * IncrementsPerClient;
        if (visits != expected || replies.Distinct().Count() != expected)
            throw new InvalidOperationException(
                $"lost update: {Counter} is {visits} after {expected} INCRs, which replied {string.Join(", ", replies)}");
        return visits;
    }

    /// <summary>One client's visit; returns the replies of its INCRs.</summary>
    private static async Coroutine<List<long>> Visit(Simulation simulation, int id)
    {
        var name = s_clients[id];
        var host = $"{name}.sim";
        var client = await KeyValueClient.Connect("kv.sim", Port, new IPEndPoint(IPAddress.Parse(AddressOf(id)), 0));
        var replies = new List<long>();
        await client.Set(Register, name);
        for (var k = 0; k < IncrementsPerClient; k++)
        {
            replies.Add(await client.Increment(Counter));
            simulation.Trace.Record(host, "kv.reply", string.Create(CultureInfo.InvariantCulture, $"INCR {Counter} -> {replies[^1]}"));
            if (k == 0)
            {
                // Its own name, or the other client's if that SET came later: both are right.
                var visitor = await client.Get(Register);
                if (!s_clients.Contains(visitor))
                    throw new InvalidOperationException($"{name} read {Register} '{visitor}', which no client wrote");
                simulation.Trace.Record(host, "kv.reply", $"GET {Register} -> {visitor}");
            }
        }
        await client.Close();
        return replies;
    }

    /// <summary>Until cancelled: after a seeded pause, cuts or clogs a seeded client's link to
    /// the server, one way or both, for a seeded while, then repairs it.</summary>
    private static async Coroutine Nemesis(Simulation simulation)
    {
        var network = simulation.Network;
        var choices = simulation.Choices;
        var server = network.HostOf(IPAddress.Parse("10.0.0.1"))!;
        while (true)
        {
            await Asyncio.Sleep(choices.NextDouble() * 0.005);
            var client = network.HostOf(IPAddress.Parse(AddressOf(choices.NextInt(s_clients.Length))))!;
            var oneWay = choices.NextBool();
            var (from, to) = choices.NextBool() ? (client, server) : (server, client);
            var outage = TimeSpan.FromSeconds(choices.NextDouble() * 0.02);
            if (choices.NextBool())
            {
                network.Partition(from, to, oneWay);
                await Asyncio.Sleep(outage.TotalSeconds);
                network.Repair(from, to, oneWay);
            }
            else
            {
                network.Clog(from, to, outage, oneWay);
                await Asyncio.Sleep(outage.TotalSeconds);
            }
        }
    }

    private static string AddressOf(int client) => string.Create(CultureInfo.InvariantCulture, $"10.0.1.{client + 1}");
}

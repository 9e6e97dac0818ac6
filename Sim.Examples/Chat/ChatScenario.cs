using System.Globalization;
using System.Net;
using System.Text;
using Sim.Core;
using Sim.Net;
using StreamReader = Sim.Core.StreamReader;
using StreamWriter = Sim.Core.StreamWriter;

namespace Sim.Examples.Chat;

/// <summary>
/// A chat over the simulated network, with streams: a server on host chat.sim relays every line
/// a client sends to all the other clients; each client, on its own host, sends numbered lines
/// after seeded pauses and reads until it has every other client's lines. The network chunks and
/// delays bytes by the seed, so each seed is one reproducible interleaving. Invariant: every
/// client receives every other client's lines exactly once, in the order they were sent; then
/// everyone closes and the server's WaitClosed returns.
/// </summary>
public sealed class ChatScenario : IScenario
{
    // Enough clients and lines for relays to interleave and split across segments on most seeds,
    // few enough that a campaign of hundreds of seeds runs in seconds.
    private const int ClientCount = 4;
    private const int LinesPerClient = 10;
    private const int Port = 7000;

    // Pause before each line, in seconds of virtual time.
    private const double SendPauseMax = 0.01;

    public string Name => "chat";

    public string Description =>
        $"{ClientCount} clients on their own hosts relay {LinesPerClient} lines each through a stream server";

    public string Run(Simulation simulation)
    {
        ArgumentNullException.ThrowIfNull(simulation);
        var delivered = simulation.RunUntilComplete(Main(simulation));
        return string.Create(CultureInfo.InvariantCulture,
            $"clients {ClientCount}, lines delivered {delivered}, virtual {simulation.Loop.Time():0.000000}s, trace {simulation.Trace.Hash}");
    }

    private static async Coroutine<int> Main(Simulation simulation)
    {
        simulation.AddHost("chat.sim", "10.0.0.1");
        for (var c = 0; c < ClientCount; c++)
            simulation.AddHost($"client{c}.sim", $"10.0.1.{c + 1}");
        var loop = simulation.Loop;
        var relay = new List<StreamWriter>();
        // Lines are relayed only to clients already connected: nobody speaks before all have joined.
        var everyoneJoined = loop.CreateFuture<Unit>();
        var server = await Asyncio.StartServer((reader, writer) => Serve(reader, writer, relay, everyoneJoined), "chat.sim", Port);
        var clients = Enumerable.Range(0, ClientCount)
            .Select(c => loop.CreateTask(Client(simulation, c, everyoneJoined), $"client-{c}"))
            .ToList();
        var delivered = 0;
        foreach (var client in clients)
            delivered += await client;
        server.Close();
        await server.WaitClosed();
        var expected = ClientCount * (ClientCount - 1) * LinesPerClient;
        if (delivered != expected)
            throw new InvalidOperationException($"{delivered} lines delivered, {expected} expected");
        return delivered;
    }

    /// <summary>The server's side of one client: relay each line to every other client until EOF.</summary>
    private static async Coroutine Serve(StreamReader reader, StreamWriter writer, List<StreamWriter> relay, Future<Unit> everyoneJoined)
    {
        relay.Add(writer);
        if (relay.Count == ClientCount)
            everyoneJoined.SetResult(Unit.Value);
        while (await reader.ReadLine() is { Length: > 0 } line)
        {
            foreach (var other in relay.ToList())
            {
                if (other == writer || other.IsClosing())
                    continue;
                other.Write(line);
                await other.Drain();
            }
        }
        relay.Remove(writer);
        writer.Close();
        await writer.WaitClosed();
    }

    /// <summary>One client: send its lines while reading everyone else's; returns how many it read.</summary>
    private static async Coroutine<int> Client(Simulation simulation, int id, Future<Unit> everyoneJoined)
    {
        var (reader, writer) = await Asyncio.OpenConnection("chat.sim", Port, localAddress: new IPEndPoint(IPAddress.Parse($"10.0.1.{id + 1}"), 0));
        var loop = simulation.Loop;
        var sending = loop.CreateTask(Send(simulation, writer, id, everyoneJoined), $"client-{id}-send");
        var next = new int[ClientCount];
        var received = 0;
        while (received < (ClientCount - 1) * LinesPerClient)
        {
            var line = Encoding.ASCII.GetString(await reader.ReadLine()).TrimEnd('\n');
            var parts = line.Split(':');
            var from = int.Parse(parts[0], CultureInfo.InvariantCulture);
            var number = int.Parse(parts[1], CultureInfo.InvariantCulture);
            if (from == id || number != next[from])
                throw new InvalidOperationException($"client {id} got '{line}', expected line {next[from]} from client {from}");
            next[from]++;
            received++;
            simulation.Trace.Record($"client{id}.sim", "chat.line", line);
        }
        await sending;
        writer.WriteEof();
        if ((await reader.Read()).Length != 0)
            throw new InvalidOperationException($"client {id} got bytes after every line");
        writer.Close();
        await writer.WaitClosed();
        return received;
    }

    private static async Coroutine Send(Simulation simulation, StreamWriter writer, int id, Future<Unit> everyoneJoined)
    {
        await everyoneJoined;
        for (var k = 0; k < LinesPerClient; k++)
        {
            await Asyncio.Sleep(simulation.Choices.NextDouble() * SendPauseMax);
            writer.Write(Encoding.ASCII.GetBytes(string.Create(CultureInfo.InvariantCulture, $"{id}:{k}\n")));
            await writer.Drain();
        }
    }
}

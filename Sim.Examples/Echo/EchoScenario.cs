using System.Globalization;
using System.Net;
using Sim.Core;
using Sim.Net;

namespace Sim.Examples.Echo;

/// <summary>
/// A TCP echo over the simulated network, with streams: an <see cref="EchoServer"/> on host
/// echo.sim and <see cref="ClientCount"/> <see cref="EchoClient"/>s on hosts of their own, each
/// sending <see cref="MessagesPerClient"/> framed messages of seeded sizes while reading the
/// echoes back, then half-closing. The network delays and splits every segment by the seed.
/// Invariants: every client gets every message back intact and in order, then the server's
/// EOF; the server saw each client's EOF between two frames and echoed exactly what was sent;
/// the server's WaitClosed returns.
/// </summary>
/// <remarks>
/// <c>new EchoScenario(readsWholePayloads: false)</c> runs the server with its planted short
/// read (see <see cref="EchoServer"/>), which the invariants catch on the seeds where a payload
/// arrives split.
/// </remarks>
public sealed class EchoScenario(bool readsWholePayloads = true) : IScenario
{
    // Enough clients for their segments to interleave at the server, few enough messages that a
    // campaign of hundreds of seeds runs in seconds.
    private const int ClientCount = 4;
    private const int MessagesPerClient = 12;
    private const int Port = 7;

    public string Name => readsWholePayloads ? "echo" : "echo-short-read";

    public string Description => readsWholePayloads
        ? $"{ClientCount} clients on their own hosts echo {MessagesPerClient} framed messages of seeded sizes, split and delayed by the network, then half-close"
        : "the echo scenario on a server that reads a payload with Read instead of ReadExactly (a planted bug)";

    /// <summary>
    /// Seeded latency from 50 µs to 2 ms (the defaults), segments of at most 1,460 bytes (an
    /// Ethernet MSS: nearly every message splits, at a seeded place) and a receive window of
    /// 16 KiB, so a client writing faster than the echoes come back meets backpressure.
    /// </summary>
    public NetworkOptions Network => new() { ChunkSizeMax = 1460, ReceiveWindow = 16 * 1024 };

    public string Run(Simulation simulation)
    {
        ArgumentNullException.ThrowIfNull(simulation);
        var report = simulation.RunUntilComplete(Main(simulation));
        return string.Create(CultureInfo.InvariantCulture,
            $"clients {ClientCount}, messages echoed {report.Messages}, bytes {report.Bytes}, in flight at half-close {report.InFlightAtEof}, virtual {simulation.Loop.Time():0.000000}s, trace {simulation.Trace.Hash}");
    }

    private async Coroutine<Report> Main(Simulation simulation)
    {
        simulation.AddHost("echo.sim", "10.0.0.1");
        for (var c = 0; c < ClientCount; c++)
            simulation.AddHost($"client{c}.sim", AddressOf(c));
        var sizes = DrawSizes(simulation);
        var echo = new EchoServer(simulation.Trace, readsWholePayloads);
        var server = await Asyncio.StartServer(echo.Serve, "echo.sim", Port);
        var loop = simulation.Loop;
        var clients = Enumerable.Range(0, ClientCount).Select(c => new EchoClient(simulation, c, sizes[c])).ToList();
        var tasks = clients
            .Select((client, c) => loop.CreateTask(client.Run("echo.sim", Port, new IPEndPoint(IPAddress.Parse(AddressOf(c)), 0)), $"client-{c}"))
            .ToList();
        foreach (var task in tasks)
            await task;
        server.Close();
        await server.WaitClosed();
        return Check(echo, sizes, clients.Sum(client => client.InFlightAtEof));
    }

    /// <summary>Every message's payload size, drawn up front: [1, PayloadSizeMax] bytes.</summary>
    private static int[][] DrawSizes(Simulation simulation) =>
        Enumerable.Range(0, ClientCount)
            .Select(_ => Enumerable.Range(0, MessagesPerClient).Select(_ => 1 + simulation.Choices.NextInt(EchoFrames.PayloadSizeMax)).ToArray())
            .ToArray();

    /// <summary>The server's side of the invariants: one connection a client, each ended by the
    /// client's EOF after exactly the messages and bytes it sent.</summary>
    private static Report Check(EchoServer echo, int[][] sizes, long inFlightAtEof)
    {
        var sent = sizes.Sum(client => client.Sum(size => (long)size));
        var connections = echo.Connections;
        if (connections.Count != ClientCount)
            throw new InvalidOperationException($"the server accepted {connections.Count} connections, {ClientCount} clients connected");
        if (connections.FirstOrDefault(c => !c.SawEof) is { } open)
            throw new InvalidOperationException($"the server never saw EOF on connection {open.Index}");
        var messages = connections.Sum(c => c.Messages);
        var bytes = connections.Sum(c => c.Bytes);
        if (messages != ClientCount * MessagesPerClient || bytes != sent)
            throw new InvalidOperationException(
                $"the server echoed {messages} messages of {bytes} bytes; the clients sent {ClientCount * MessagesPerClient} of {sent}");
        return new Report(messages, bytes, inFlightAtEof);
    }

    private static string AddressOf(int client) => string.Create(CultureInfo.InvariantCulture, $"10.0.1.{client + 1}");

    private sealed record Report(int Messages, long Bytes, long InFlightAtEof);
}

using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Sim.Core;
using Sim.Net;
using Sim.Tests.Conformance;

namespace Sim.Tests.Properties;

/// <summary>
/// The transport over the simulated network under generated writes, seeds, chunk sizes, windows
/// and latencies: bytes arrive intact and in order both ways, the protocol grammar always holds
/// (the recording protocol asserts it, and any assertion in a callback reaches the exception
/// handler, which fails the run), and the write buffer accounts for every byte: what was written
/// minus what the network took is what is buffered, and what the network took but the peer has
/// not received never exceeds the receive window.
/// </summary>
[Trait("Category", "Property")]
public sealed class NetworkProperties
{
    /// <summary>One generated run: the world's knobs and the client's writes.</summary>
    public sealed record Scenario(long Seed, int ChunkSizeMax, int ReceiveWindow, double LatencyMax, int[] Writes, bool SlowReader)
    {
        public override string ToString() =>
            $"seed {Seed}, chunk {ChunkSizeMax}, window {ReceiveWindow}, latency {LatencyMax}, slow reader {SlowReader}, writes [{string.Join(", ", Writes)}]";
    }

    private static Gen<Scenario> Scenarios() =>
        from seed in Gen.Choose(1, 1_000_000)
        from chunk in Gen.Elements(3, 100, 1460, 4096, 65536)
        from window in Gen.Elements(100, 1000, 65536, 200_000)
        from latency in Gen.Elements(0.0001, 0.001, 0.05)
        from writes in Gen.ListOf(Gen.Choose(0, 20_000)).Select(list => list.Take(10).ToArray())
        from slow in Gen.Elements(false, true)
        select new Scenario(seed, chunk, window, latency, writes, slow);

    [Property(MaxTest = 150)]
    public Property AnyWrites_UnderAnyChunkingAndLatency_EchoArrivesIntactInOrder() =>
        Prop.ForAll(Arb.From(Scenarios()), scenario => Echo(scenario));

    [Property(MaxTest = 150)]
    public Property AnyCloseAbortOrEofSequence_ProtocolGrammarHolds() =>
        Prop.ForAll(Arb.From(from seed in Gen.Choose(1, 1_000_000)
                             from actions in Gen.ListOf(Gen.Choose(0, 7)).Select(l => l.Take(8).ToArray())
                             select (Seed: seed, Actions: actions)),
            run => Chaos(run.Seed, run.Actions));

    private static Simulation World(Scenario scenario) =>
        new(scenario.Seed, new SimulationOptions
        {
            Log = TextWriter.Null,
            TraceCallbacks = false,
            Network = new NetworkOptions
            {
                ChunkSizeMax = scenario.ChunkSizeMax,
                ReceiveWindow = scenario.ReceiveWindow,
                LatencyMax = scenario.LatencyMax,
                TraceSegments = false,
            },
        });

    private static void Echo(Scenario scenario)
    {
        var simulation = World(scenario);
        var loop = simulation.Loop;
        var errors = new List<string>();
        loop.SetExceptionHandler((_, context) => errors.Add(context.ToString()));
        var expected = scenario.Writes.SelectMany((n, i) => Enumerable.Range(0, n).Select(k => (byte)(k * 7 + i))).ToArray();
        async Coroutine Main()
        {
            var accepted = new List<RecordingProtocol>();
            var server = await loop.CreateServer(() =>
            {
                var protocol = new RecordingProtocol(loop)
                {
                    KeepOpenOnEof = true,
                    OnData = (p, data) => p.Transport!.Write(data),
                    OnEof = p => p.Transport!.Close(),
                };
                accepted.Add(protocol);
                return protocol;
            }, "127.0.0.1", 0);
            var port = ((System.Net.IPEndPoint)server.Sockets[0]).Port;
            var (transport, client) = await loop.CreateConnection(() => new RecordingProtocol(loop), "127.0.0.1", port);
            var written = 0;
            for (var i = 0; i < scenario.Writes.Length; i++)
            {
                var data = Enumerable.Range(0, scenario.Writes[i]).Select(k => (byte)(k * 7 + i)).ToArray();
                transport.Write(data);
                written += data.Length;
                CheckAccounting(simulation, transport, accepted, written);
                if (scenario.SlowReader)
                    client.Transport!.PauseReading();
                await Asyncio.Sleep(simulation.Choices.NextDouble() * scenario.LatencyMax * 4);
                CheckAccounting(simulation, transport, accepted, written);
                if (scenario.SlowReader)
                    client.Transport!.ResumeReading();
            }
            transport.WriteEof();
            Assert.Null(await client.Lost);
            Assert.Equal(expected, client.Received);
            Assert.Equal(0, transport.GetWriteBufferSize());
            Assert.Null(await accepted[0].Lost);
            Assert.Equal(expected, accepted[0].Received);
            Assert.Equal(expected.Length == 0 ? ["made", "eof", "lost:None"] : ["made", "data", "eof", "lost:None"], client.Events);
            server.Close();
            await server.WaitClosed();
        }
        try
        {
            loop.RunUntilComplete(Main());
        }
        finally
        {
            loop.Close();
        }
        Assert.True(errors.Count == 0, string.Join("\n", errors));
        Assert.Equal(0, simulation.Network.OpenConnections);
    }

    /// <summary>Written minus buffered is what the network took; of that, what the peer has not
    /// received yet (in flight or unread in its socket) fits in its receive window.</summary>
    private static void CheckAccounting(Simulation simulation, ITransport transport, List<RecordingProtocol> accepted, int written)
    {
        var taken = written - transport.GetWriteBufferSize();
        var received = accepted.Count == 0 ? 0 : accepted[0].Received.Length;
        Assert.InRange(taken, received, received + simulation.Network.Options.ReceiveWindow);
    }

    private static void Chaos(int seed, int[] actions)
    {
        var simulation = new Simulation(seed, new SimulationOptions { Log = TextWriter.Null });
        var loop = simulation.Loop;
        var errors = new List<string>();
        loop.SetExceptionHandler((_, context) => errors.Add(context.ToString()));
        async Coroutine Main()
        {
            var accepted = new List<RecordingProtocol>();
            var server = await loop.CreateServer(() =>
            {
                var protocol = new RecordingProtocol(loop) { KeepOpenOnEof = seed % 2 == 0, OnData = (p, d) => p.Transport!.Write(d) };
                accepted.Add(protocol);
                return protocol;
            }, "127.0.0.1", 0);
            var port = ((System.Net.IPEndPoint)server.Sockets[0]).Port;
            var (transport, client) = await loop.CreateConnection(() => new RecordingProtocol(loop) { KeepOpenOnEof = seed % 3 == 0 }, "127.0.0.1", port);
            foreach (var action in actions)
            {
                var peer = accepted.Count > 0 ? accepted[0].Transport : null;
                switch (action)
                {
                    case 0: transport.Close(); break;
                    case 1: transport.Abort(); break;
                    case 2: transport.WriteEof(); break;
                    case 3:
                        if (!transport.IsClosing)
                        {
                            try { transport.Write(new byte[100_000]); } catch (InvalidOperationException) { /* after WriteEof: refused */ }
                        }
                        break;
                    case 4: peer?.Close(); break;
                    case 5: peer?.Abort(); break;
                    case 6: peer?.PauseReading(); break;
                    default: await Asyncio.Sleep(simulation.Choices.NextDouble() * 0.005); break;
                }
                await Asyncio.Sleep(0);
            }
            transport.Abort();
            await client.Lost;
            await Until(() => accepted.Count == 0 || accepted[0].Made.Done);
            accepted.FirstOrDefault()?.Transport?.Abort();
            if (accepted.Count > 0)
                await accepted[0].Lost;
            server.Close();
            await server.WaitClosed();
            Assert.Equal("lost", client.Events[^1][..4]);
        }
        try
        {
            loop.RunUntilComplete(Main());
        }
        finally
        {
            loop.Close();
        }
        Assert.True(errors.Count == 0, string.Join("\n", errors));
    }

    private static async Coroutine Until(Func<bool> condition)
    {
        while (!condition())
            await Asyncio.Sleep(0.001);
    }
}

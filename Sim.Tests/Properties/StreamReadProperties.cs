using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Sim.Core;
using Sim.Net;

namespace Sim.Tests.Properties;

/// <summary>
/// <c>StreamReader.Read(n)</c> under generated message sizes (runs of one size, which let a
/// connection's receives settle and be received straight into the array a read returns, broken
/// by longer and shorter ones), read sizes and network chunking: every byte the server's reads
/// return arrives once, in order, each read in an array of its own that nothing writes again,
/// and the same seed gives the same reads.
/// </summary>
[Trait("Category", "Property")]
public sealed class StreamReadProperties
{
    /// <summary>One generated run: the world's knobs, the client's messages, the server's read sizes.</summary>
    public sealed record Scenario(long Seed, int ChunkSizeMax, int[] Messages, int[] ReadCounts)
    {
        public override string ToString() =>
            $"seed {Seed}, chunk {ChunkSizeMax}, messages [{string.Join(", ", Messages)}], reads of [{string.Join(", ", ReadCounts)}]";
    }

    private static Gen<Scenario> Scenarios() =>
        from seed in Gen.Choose(1, 1_000_000)
        from chunk in Gen.Elements(100, 1460, 65536)
        from runs in Gen.ListOf(from size in Gen.Choose(1, 40_000) from repeats in Gen.Choose(1, 4) select Enumerable.Repeat(size, repeats))
        from reads in Gen.NonEmptyListOf(Gen.Elements(10, 1000, 64 * 1024))
        select new Scenario(seed, chunk, runs.Take(6).SelectMany(run => run).ToArray(), reads.Take(4).ToArray());

    [Property(MaxTest = 100)]
    public Property AnyMessagesAndReadSizes_EchoOfReads_EveryByteOnceInOrder_SameSeedSameReads() =>
        Prop.ForAll(Arb.From(Scenarios()), scenario =>
        {
            var first = Echo(scenario);
            var second = Echo(scenario);
            Assert.Equal(first, second);
        });

    /// <summary>Runs the echo; returns the length of every read the server made, in order.</summary>
    private static List<int> Echo(Scenario scenario)
    {
        var simulation = new Simulation(scenario.Seed, new SimulationOptions
        {
            Log = TextWriter.Null,
            TraceCallbacks = false,
            Network = new NetworkOptions { ChunkSizeMax = scenario.ChunkSizeMax, TraceSegments = false },
        });
        var loop = simulation.Loop;
        var errors = new List<string>();
        loop.SetExceptionHandler((_, context) => errors.Add(context.ToString()));
        var reads = new List<byte[]>();
        async Coroutine Main()
        {
            var server = await Asyncio.StartServer(async (reader, writer) =>
            {
                for (var turn = 0; ; turn++)
                {
                    var data = await reader.Read(scenario.ReadCounts[turn % scenario.ReadCounts.Length]);
                    if (data.Length == 0)
                        break;
                    reads.Add(data);
                    writer.Write(data);
                    await writer.Drain();
                }
                writer.Close();
            }, "127.0.0.1", 0);
            var port = ((System.Net.IPEndPoint)server.Sockets[0]).Port;
            var (reader, writer) = await Asyncio.OpenConnection("127.0.0.1", port);
            var sent = new List<byte>();
            for (var i = 0; i < scenario.Messages.Length; i++)
            {
                var message = Enumerable.Range(0, scenario.Messages[i]).Select(k => (byte)(k * 31 + i)).ToArray();
                sent.AddRange(message);
                writer.Write(message);
                Assert.Equal(message, await reader.ReadExactly(message.Length));
            }
            writer.WriteEof();
            Assert.Empty(await reader.Read(100));
            Assert.Equal(sent, reads.SelectMany(read => read));
            Assert.Equal(reads.Count, reads.Distinct(ReferenceEqualityComparer.Instance).Count());
            writer.Close();
            await writer.WaitClosed();
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
        return reads.Select(read => read.Length).ToList();
    }
}

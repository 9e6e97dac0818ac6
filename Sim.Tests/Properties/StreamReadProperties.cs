using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Sim.Core;
using Sim.Net;
using static Sim.Tests.Conformance.ConformanceHelpers;

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
            var messages = scenario.Messages.Select((size, i) => Pattern(size, seed: i)).ToList();
            reads = await ReadEcho("127.0.0.1", messages, turn => scenario.ReadCounts[turn % scenario.ReadCounts.Length]);
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

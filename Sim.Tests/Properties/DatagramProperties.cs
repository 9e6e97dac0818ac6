using System.Buffers.Binary;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Sim.Core;
using Sim.Net;
using Sim.Tests.Conformance;

namespace Sim.Tests.Properties;

/// <summary>
/// Datagrams over the simulated network with no faults, under generated seeds, latencies, sizes
/// (up to the datagram limit) and send-buffer sizes: every datagram sent arrives exactly once,
/// whole, and — with no jitter — in the order sent. Receive buffers are made larger than all that
/// is sent: a full receive buffer drops datagrams, as on a real host, and that is loss.
/// </summary>
[Trait("Category", "Property")]
public sealed class DatagramProperties
{
    /// <summary>One generated run: the world's knobs and the client's datagram sizes.</summary>
    public sealed record Scenario(long Seed, double LatencyMax, int SendBufferMax, int[] Sizes, bool ServerEchoes)
    {
        public override string ToString() =>
            $"seed {Seed}, latency {LatencyMax}, send buffer {SendBufferMax}, echo {ServerEchoes}, sizes [{string.Join(", ", Sizes)}]";
    }

    private static Gen<Scenario> Scenarios() =>
        from seed in Gen.Choose(1, 1_000_000)
        from latency in Gen.Elements(0.0001, 0.002, 0.05)
        from sendBuffer in Gen.Elements(1, 5000, 212_992)
        from sizes in Gen.ListOf(Gen.OneOf(Gen.Choose(4, 1500), Gen.Elements(4, 65_507))).Select(list => list.Take(40).ToArray())
        from echo in Gen.Elements(false, true)
        select new Scenario(seed, latency, sendBuffer, sizes, echo);

    // 40 datagrams of at most 65,507 bytes: under 3 MB.
    private const int ReceiveBufferBeyondAnyScenario = 4 * 1024 * 1024;

    [Property(MaxTest = 100)]
    public Property AnyDatagrams_NoFaults_EachArrivesExactlyOnceWholeInOrder() =>
        Prop.ForAll(Arb.From(Scenarios()), scenario => Exchange(scenario));

    private static byte[] Datagram(int index, int size)
    {
        var data = new byte[size];
        BinaryPrimitives.WriteInt32BigEndian(data, index);
        for (var i = 4; i < size; i++)
            data[i] = (byte)(index * 13 + i * 7);
        return data;
    }

    private static void Exchange(Scenario scenario)
    {
        var simulation = new Simulation(scenario.Seed, new SimulationOptions
        {
            Log = TextWriter.Null,
            TraceCallbacks = false,
            Network = new NetworkOptions
            {
                LatencyMax = scenario.LatencyMax,
                DatagramSendBufferMax = scenario.SendBufferMax,
                DatagramReceiveBufferMax = ReceiveBufferBeyondAnyScenario,
                TraceSegments = false,
            },
        });
        var loop = simulation.Loop;
        var errors = new List<string>();
        loop.SetExceptionHandler((_, context) => errors.Add(context.ToString()));
        var expected = scenario.Sizes.Select((size, index) => Datagram(index, size)).ToList();
        async Coroutine<(List<byte[]> AtServer, List<byte[]> AtClient)> Main()
        {
            var (serverTransport, server) = await loop.CreateDatagramEndpoint(
                () => new RecordingDatagramProtocol(loop) { OnDatagram = scenario.ServerEchoes ? (p, data, from) => p.Transport!.SendTo(data, from) : null },
                localAddress: ("127.0.0.1", 0));
            var port = ((System.Net.IPEndPoint)serverTransport.GetExtraInfo("sockname")!).Port;
            var (client, protocol) = await loop.CreateDatagramEndpoint(() => new RecordingDatagramProtocol(loop), remoteAddress: ("127.0.0.1", port));
            foreach (var datagram in expected)
                client.SendTo(datagram);
            await server.Until(p => p.Datagrams.Count >= expected.Count);
            if (scenario.ServerEchoes)
                await protocol.Until(p => p.Datagrams.Count >= expected.Count);
            // Anything extra (a duplicate) would have arrived by now.
            await Asyncio.Sleep(scenario.LatencyMax * 4 + 1);
            client.Close();
            serverTransport.Close();
            return (server.Datagrams.Select(d => d.Data).ToList(), protocol.Datagrams.Select(d => d.Data).ToList());
        }
        try
        {
            var (atServer, atClient) = simulation.RunUntilComplete(Main());
            Assert.Empty(errors);
            Assert.Equal(expected, atServer);
            Assert.Equal(scenario.ServerEchoes ? expected : [], atClient);
        }
        finally
        {
            loop.Close();
        }
    }
}

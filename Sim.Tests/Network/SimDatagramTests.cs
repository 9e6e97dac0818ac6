using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using Sim.Core;
using Sim.Net;
using Sim.Tests.Conformance;

namespace Sim.Tests.Network;

/// <summary>
/// What only the simulated network shows deterministically for datagrams: seeded loss,
/// duplication and reordering (the same seed gives the same received sequence, run after run),
/// the size limit, send and receive buffers, and datagrams between hosts.
/// </summary>
[Trait("Category", "Simulation")]
public sealed class SimDatagramTests
{
    private const int DatagramCount = 200;

    private static Simulation NewSimulation(long seed, NetworkOptions network) =>
        new(seed, new SimulationOptions { Log = TextWriter.Null, Network = network });

    private static T Run<T>(Simulation simulation, Func<EventLoop, Coroutine<T>> body)
    {
        var loop = simulation.Loop;
        var errors = new List<string>();
        loop.SetExceptionHandler((_, context) => errors.Add(context.ToString()));
        try
        {
            var result = simulation.RunUntilComplete(body(loop));
            Assert.True(errors.Count == 0, "the loop reported: " + string.Join("\n", errors));
            return result;
        }
        finally
        {
            loop.Close();
        }
    }

    private static IPEndPoint Sockname(IDatagramTransport transport) => (IPEndPoint)transport.GetExtraInfo("sockname")!;

    /// <summary>A datagram numbered <paramref name="index"/>: its number, then bytes derived from it.</summary>
    private static byte[] Numbered(int index, int length = 64)
    {
        var data = new byte[length];
        BinaryPrimitives.WriteInt32BigEndian(data, index);
        for (var i = 4; i < length; i++)
            data[i] = (byte)(index * 31 + i);
        return data;
    }

    /// <summary>The number of a datagram <see cref="Numbered"/> made, checking it arrived whole.</summary>
    private static int NumberOf(byte[] data)
    {
        var index = BinaryPrimitives.ReadInt32BigEndian(data);
        Assert.Equal(Numbered(index, data.Length), data);
        return index;
    }

    /// <summary>Sends <see cref="DatagramCount"/> numbered datagrams at one instant from a client to
    /// a server, waits well past every latency, and returns the numbers received, in order, and the trace.</summary>
    private static (List<int> Received, SimulationTrace Trace) Exchange(long seed, NetworkOptions network)
    {
        var simulation = NewSimulation(seed, network);
        var received = Run(simulation, async loop =>
        {
            var (serverTransport, server) = await loop.CreateDatagramEndpoint(() => new RecordingDatagramProtocol(loop), localAddress: ("127.0.0.1", 0));
            var (client, _) = await loop.CreateDatagramEndpoint(() => new RecordingDatagramProtocol(loop), remoteAddress: ("127.0.0.1", Sockname(serverTransport).Port));
            for (var i = 0; i < DatagramCount; i++)
                client.SendTo(Numbered(i));
            await Asyncio.Sleep(1);
            client.Close();
            serverTransport.Close();
            return server.Datagrams.Select(d => NumberOf(d.Data)).ToList();
        });
        return (received, simulation.Trace);
    }

    private static int CountOf(SimulationTrace trace, string kind) => trace.Events.Count(e => e.Kind == kind);

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void Loss_SeededProbability_SomeLostTheRestInOrderSameSeedSameSequence(long seed)
    {
        var options = new NetworkOptions { DatagramLossProbability = 0.3 };
        var (first, trace) = Exchange(seed, options);
        var (second, _) = Exchange(seed, options);
        Assert.Equal(first, second);
        Assert.InRange(first.Count, 1, DatagramCount - 1);
        Assert.Equal(first.Order().ToList(), first);
        Assert.Equal(first.Distinct().Count(), first.Count);
        Assert.Equal(DatagramCount - first.Count, CountOf(trace, "udp.lost"));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void Duplication_SeededProbability_SomeArriveTwiceNoneLostSameSeedSameSequence(long seed)
    {
        var options = new NetworkOptions { DatagramDuplicationProbability = 0.3 };
        var (first, trace) = Exchange(seed, options);
        var (second, _) = Exchange(seed, options);
        Assert.Equal(first, second);
        Assert.Equal(Enumerable.Range(0, DatagramCount), first.Distinct().Order());
        Assert.All(first.GroupBy(n => n), group => Assert.InRange(group.Count(), 1, 2));
        Assert.Equal(first.Count - DatagramCount, CountOf(trace, "udp.duplicate"));
        Assert.True(first.Count > DatagramCount);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void Jitter_SeededSpread_ReorderedEachExactlyOnceSameSeedSameSequence(long seed)
    {
        var options = new NetworkOptions { DatagramJitterMax = 0.01 };
        var (first, _) = Exchange(seed, options);
        var (second, _) = Exchange(seed, options);
        Assert.Equal(first, second);
        Assert.Equal(Enumerable.Range(0, DatagramCount), first.Order());
        Assert.NotEqual(Enumerable.Range(0, DatagramCount), first);
    }

    [Fact]
    public void AllFaults_SameSeed_SameReceivedSequenceAndTraceHash()
    {
        var options = new NetworkOptions { DatagramLossProbability = 0.2, DatagramDuplicationProbability = 0.2, DatagramJitterMax = 0.005 };
        var (first, firstTrace) = Exchange(99, options);
        var (second, secondTrace) = Exchange(99, options);
        var (other, _) = Exchange(100, options);
        Assert.Equal(first, second);
        Assert.Equal(firstTrace.Hash, secondTrace.Hash);
        Assert.NotEqual(first, other);
    }

    [Fact]
    public void NoFaults_DatagramsAtOneInstant_ArriveOnceInTheOrderSent()
    {
        var (received, trace) = Exchange(5, new NetworkOptions());
        Assert.Equal(Enumerable.Range(0, DatagramCount), received);
        Assert.Equal(0, CountOf(trace, "udp.lost") + CountOf(trace, "udp.duplicate"));
    }

    [Fact]
    public void DatagramSizeMax_OneByteOver_ErrorReceivedMessageSizeAtTheLimitDelivered()
    {
        var simulation = NewSimulation(1, new NetworkOptions { DatagramSizeMax = 1000 });
        var (errors, sizes) = Run(simulation, async loop =>
        {
            var (serverTransport, server) = await loop.CreateDatagramEndpoint(() => new RecordingDatagramProtocol(loop), localAddress: ("127.0.0.1", 0));
            var (client, protocol) = await loop.CreateDatagramEndpoint(() => new RecordingDatagramProtocol(loop), remoteAddress: ("127.0.0.1", Sockname(serverTransport).Port));
            client.SendTo(new byte[1001]);
            client.SendTo(new byte[1000]);
            await server.Until(p => p.Datagrams.Count == 1);
            client.Close();
            serverTransport.Close();
            return (protocol.Errors, server.Datagrams.Select(d => d.Data.Length).ToList());
        });
        Assert.Equal(SocketError.MessageSize, Assert.IsType<SocketException>(Assert.Single(errors)).SocketErrorCode);
        Assert.Equal([1000], sizes);
    }

    [Fact]
    public void SendBufferFull_DatagramsBufferedWritingPausedThenDrainedAndResumedInOrder()
    {
        var simulation = NewSimulation(1, new NetworkOptions { DatagramSendBufferMax = 1000 });
        var (bufferedAfterSends, pauses, resumes, bufferedAtEnd, received) = Run(simulation, async loop =>
        {
            var (serverTransport, server) = await loop.CreateDatagramEndpoint(() => new RecordingDatagramProtocol(loop), localAddress: ("127.0.0.1", 0));
            var (client, protocol) = await loop.CreateDatagramEndpoint(() => new RecordingDatagramProtocol(loop), remoteAddress: ("127.0.0.1", Sockname(serverTransport).Port));
            client.SetWriteBufferLimits(high: 1000);
            for (var i = 0; i < 10; i++)
                client.SendTo(Numbered(i, 400));
            var buffered = client.GetWriteBufferSize();
            await server.Until(p => p.Datagrams.Count == 10);
            var result = (buffered, protocol.PauseCount, protocol.ResumeCount, client.GetWriteBufferSize(), server.Datagrams.Select(d => NumberOf(d.Data)).ToList());
            client.Close();
            serverTransport.Close();
            return result;
        });
        // Three go while less than 1000 bytes are on their way (0, 400, 800); seven wait in the transport.
        Assert.Equal(7 * 400, bufferedAfterSends);
        Assert.Equal(1, pauses);
        Assert.Equal(1, resumes);
        Assert.Equal(0, bufferedAtEnd);
        Assert.Equal(Enumerable.Range(0, 10), received);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void CloseOrAbortFromResumeWriting_AsTheBufferEmpties_LosesTheConnectionOnce(bool abort)
    {
        var simulation = NewSimulation(1, new NetworkOptions { DatagramSendBufferMax = 1000 });
        var (events, received) = Run(simulation, async loop =>
        {
            var (serverTransport, server) = await loop.CreateDatagramEndpoint(() => new RecordingDatagramProtocol(loop), localAddress: ("127.0.0.1", 0));
            var (client, protocol) = await loop.CreateDatagramEndpoint(() => new RecordingDatagramProtocol(loop)
            {
                OnResume = p =>
                {
                    if (abort)
                        p.Transport!.Abort();
                    else
                        p.Transport!.Close();
                },
            }, remoteAddress: ("127.0.0.1", Sockname(serverTransport).Port));
            // Water marks at zero: ResumeWriting comes from the send that empties the buffer.
            client.SetWriteBufferLimits(high: 0, low: 0);
            for (var i = 0; i < 5; i++)
                client.SendTo(Numbered(i, 400));
            await protocol.Lost;
            await Asyncio.Sleep(1);
            serverTransport.Close();
            return (protocol.Events, server.Datagrams.Count);
        });
        Assert.Equal(["connection_made", "pause_writing", "resume_writing", "connection_lost"], events);
        Assert.Equal(5, received);
    }

    [Fact]
    public void Close_WithBufferedDatagrams_FlushesThemThenConnectionLost()
    {
        var simulation = NewSimulation(1, new NetworkOptions { DatagramSendBufferMax = 1000 });
        var (events, received) = Run(simulation, async loop =>
        {
            var (serverTransport, server) = await loop.CreateDatagramEndpoint(() => new RecordingDatagramProtocol(loop), localAddress: ("127.0.0.1", 0));
            var (client, protocol) = await loop.CreateDatagramEndpoint(() => new RecordingDatagramProtocol(loop), remoteAddress: ("127.0.0.1", Sockname(serverTransport).Port));
            for (var i = 0; i < 5; i++)
                client.SendTo(Numbered(i, 400));
            client.Close();
            await protocol.Lost;
            await Asyncio.Sleep(1);
            serverTransport.Close();
            return (protocol.Events, server.Datagrams.Count);
        });
        Assert.Equal(["connection_made", "connection_lost"], events);
        Assert.Equal(5, received);
    }

    [Fact]
    public void Abort_WithBufferedDatagrams_DropsThem()
    {
        var simulation = NewSimulation(1, new NetworkOptions { DatagramSendBufferMax = 1000 });
        var received = Run(simulation, async loop =>
        {
            var (serverTransport, server) = await loop.CreateDatagramEndpoint(() => new RecordingDatagramProtocol(loop), localAddress: ("127.0.0.1", 0));
            var (client, protocol) = await loop.CreateDatagramEndpoint(() => new RecordingDatagramProtocol(loop), remoteAddress: ("127.0.0.1", Sockname(serverTransport).Port));
            for (var i = 0; i < 5; i++)
                client.SendTo(Numbered(i, 400));
            client.Abort();
            Assert.Equal(0, client.GetWriteBufferSize());
            await protocol.Lost;
            await Asyncio.Sleep(1);
            serverTransport.Close();
            return server.Datagrams.Count;
        });
        Assert.Equal(3, received);
    }

    [Fact]
    public void ReceiveBufferFull_DatagramsBeyondItDroppedAndTraced()
    {
        var simulation = NewSimulation(1, new NetworkOptions { DatagramReceiveBufferMax = 1000 });
        var network = (INetworkBackend)simulation.Loop.Backend;
        var counts = Run(simulation, async loop =>
        {
            var server = network.OpenDatagram(AddressFamily.InterNetwork, new IPEndPoint(IPAddress.Loopback, 0), null);
            var client = network.OpenDatagram(AddressFamily.InterNetwork, null, (IPEndPoint)server.LocalEndPoint);
            for (var i = 0; i < 5; i++)
                Assert.True(client.SendTo(new byte[400], null));
            await Asyncio.Sleep(1);
            var sizes = new List<int>();
            var buffer = new byte[1000];
            int count;
            while ((count = server.ReceiveFrom(buffer, out _)) != IDatagramSocket.WouldBlock)
                sizes.Add(count);
            client.Close();
            server.Close();
            return sizes;
        });
        Assert.Equal([400, 400], counts);
        Assert.Equal(3, CountOf(simulation.Trace, "udp.drop"));
    }

    [Fact]
    public void BetweenHosts_SourceIsTheSendersAddress_ConnectedSocketIgnoresOthers()
    {
        var simulation = NewSimulation(1, new NetworkOptions());
        simulation.AddHost("a", "10.0.0.1");
        simulation.AddHost("b", "10.0.0.2");
        simulation.AddHost("c", "10.0.0.3");
        var (from, clientTexts, strangerEvents) = Run(simulation, async loop =>
        {
            var (serverTransport, server) = await loop.CreateDatagramEndpoint(
                () => new RecordingDatagramProtocol(loop) { OnDatagram = (p, data, address) => p.Transport!.SendTo(data, address) },
                localAddress: ("10.0.0.2", 5000));
            var (client, protocol) = await loop.CreateDatagramEndpoint(() => new RecordingDatagramProtocol(loop), ("10.0.0.1", 0), ("b", 5000));
            var (stranger, strangerProtocol) = await loop.CreateDatagramEndpoint(() => new RecordingDatagramProtocol(loop), localAddress: ("10.0.0.3", 0));
            stranger.SendTo("not for you"u8, Sockname(client));
            client.SendTo("hi"u8);
            await protocol.Until(p => p.Datagrams.Count == 1);
            await Asyncio.Sleep(0.1);
            var result = (((IPEndPoint)server.Datagrams[0].From).Address, protocol.Texts, strangerProtocol.Events.ToList());
            client.Close();
            stranger.Close();
            serverTransport.Close();
            return result;
        });
        Assert.Equal(IPAddress.Parse("10.0.0.1"), from);
        Assert.Equal(["hi"], clientTexts);
        Assert.Equal(["connection_made"], strangerEvents);
    }

    [Fact]
    public void NetworkOptions_BadDatagramKnobs_Rejected()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => NewSimulation(1, new NetworkOptions { DatagramLossProbability = 1.5 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => NewSimulation(1, new NetworkOptions { DatagramDuplicationProbability = -0.1 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => NewSimulation(1, new NetworkOptions { DatagramJitterMax = double.NaN }));
        Assert.Throws<ArgumentOutOfRangeException>(() => NewSimulation(1, new NetworkOptions { DatagramSizeMax = 0 }));
    }
}

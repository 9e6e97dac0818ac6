using System.Net;
using System.Net.Sockets;
using Sim.Core;
using static Sim.Tests.Conformance.ConformanceHelpers;

namespace Sim.Tests.Conformance;

/// <summary>Happy eyeballs (RFC 8305) where every backend can show it: a single address connects
/// and fails as without it; bad arguments are refused. Races between addresses are simulation
/// tests (Sim.Tests/Simulation/HappyEyeballsTests.cs): loopback answers too fast to stagger.</summary>
public abstract partial class StreamTransportConformance
{
    [Fact]
    public void HappyEyeballs_ToListeningAddress_ConnectsAndEchoes()
    {
        Run(async loop =>
        {
            var (server, accepted) = await Serve(loop, () => new RecordingProtocol(loop)
            {
                OnData = (p, data) => p.Transport!.Write(data),
            });
            var (transport, client) = await loop.CreateConnection(() => new RecordingProtocol(loop), Host, PortOf(server),
                happyEyeballsDelay: 0.25, interleave: 1);
            Assert.Equal(["made"], client.Events);
            Assert.Equal(IPAddress.Parse(Host), ((IPEndPoint)transport.GetExtraInfo("peername")!).Address);
            transport.Write("ping"u8);
            await Until(() => client.Received.Length == 4);
            Assert.Equal("ping"u8.ToArray(), client.Received);
            transport.Close();
            Assert.Null(await client.Lost);
            await Until(() => accepted.Count == 1);
            await accepted[0].Lost;
            server.Close();
            await server.WaitClosed();
        });
    }

    [Fact]
    public void HappyEyeballs_NothingListening_RaisesTheAttemptsOwnConnectionRefused()
    {
        Run(async loop =>
        {
            var port = await UnusedPort(loop);
            var error = Assert.IsType<SocketException>(await Raises(loop.CreateConnection(() => new RecordingProtocol(loop), Host, port,
                happyEyeballsDelay: 0)));
            Assert.Equal(SocketError.ConnectionRefused, error.SocketErrorCode);
            Assert.DoesNotContain("Multiple exceptions", error.Message, StringComparison.Ordinal);
        });
    }

    [Fact]
    public void HappyEyeballs_OpenConnection_StreamsEchoALine()
    {
        Run(async loop =>
        {
            var server = await Asyncio.StartServer(async (reader, writer) =>
            {
                writer.Write(await reader.ReadLine());
                await writer.Drain();
                writer.Close();
                await writer.WaitClosed();
            }, Host, 0);
            var (clientReader, clientWriter) = await Asyncio.OpenConnection(Host, PortOf(server), happyEyeballsDelay: 0.25);
            clientWriter.Write("hello\n"u8.ToArray());
            Assert.Equal("hello\n"u8.ToArray(), await clientReader.ReadLine());
            Assert.Empty(await clientReader.Read());
            clientWriter.Close();
            await clientWriter.WaitClosed();
            server.Close();
            await server.WaitClosed();
        });
    }

    [Theory]
    [InlineData(-0.1, null)]
    [InlineData(double.NaN, null)]
    [InlineData(double.PositiveInfinity, null)]
    [InlineData(0.25, -1)]
    public void HappyEyeballs_BadDelayOrInterleave_ThrowsArgumentOutOfRange(double delay, int? interleave)
    {
        Run(async loop =>
        {
            var error = await Raises(loop.CreateConnection(() => new RecordingProtocol(loop), Host, 80,
                happyEyeballsDelay: delay, interleave: interleave));
            Assert.IsType<ArgumentOutOfRangeException>(error);
        });
    }
}

using Sim.Core;
using static Sim.Tests.Conformance.ConformanceHelpers;

namespace Sim.Tests.Conformance;

/// <summary>Write flow control: the water marks, pause/resume, and a slow reader pushing back.</summary>
public abstract partial class StreamTransportConformance
{
    [Fact]
    public void SlowReader_PausesWriterAboveHighWater_ResumesAtLowWater_NothingLost()
    {
        var chunk = Pattern(16 * 1024, seed: 9);
        Run(async loop =>
        {
            var (server, accepted) = await Serve(loop, () => new RecordingProtocol(loop) { OnMade = p => p.Transport!.PauseReading() });
            var (transport, client) = await loop.CreateConnection(() => new RecordingProtocol(loop), Host, PortOf(server));
            Assert.Equal((16 * 1024, 64 * 1024), transport.GetWriteBufferLimits());
            var written = 0;
            while (client.PauseCount == 0)
            {
                transport.Write(chunk);
                written += chunk.Length;
                Assert.True(written < 64 * 1024 * 1024, "the writer was never paused");
                if (client.PauseCount == 0)
                    await Asyncio.Sleep(0.001);
            }
            Assert.True(client.BufferSizeAtPause > 64 * 1024, $"paused at {client.BufferSizeAtPause} bytes");
            // The reader does not read: the writer stays paused.
            await Asyncio.Sleep(SettleTime);
            Assert.Equal(0, client.ResumeCount);
            await Until(() => accepted.Count == 1 && accepted[0].Made.Done);
            accepted[0].Transport!.ResumeReading();
            await Until(() => client.ResumeCount == 1);
            Assert.True(client.BufferSizeAtResume <= 16 * 1024, $"resumed at {client.BufferSizeAtResume} bytes");
            transport.Close();
            await client.Lost;
            await Until(() => accepted[0].Received.Length == written);
            var expected = Enumerable.Range(0, written / chunk.Length).SelectMany(_ => chunk).ToArray();
            Assert.Equal(expected, accepted[0].Received);
            server.Close();
        });
    }

    [Fact]
    public void SetWriteBufferLimits_Defaults_DeriveTheMissingMark()
    {
        Run(async loop =>
        {
            var (server, _) = await Serve(loop);
            var (transport, _) = await loop.CreateConnection(() => new RecordingProtocol(loop), Host, PortOf(server));
            transport.SetWriteBufferLimits(high: 1000);
            Assert.Equal((250, 1000), transport.GetWriteBufferLimits());
            transport.SetWriteBufferLimits(low: 100);
            Assert.Equal((100, 400), transport.GetWriteBufferLimits());
            transport.SetWriteBufferLimits();
            Assert.Equal((16 * 1024, 64 * 1024), transport.GetWriteBufferLimits());
            transport.SetWriteBufferLimits(high: 0);
            Assert.Equal((0, 0), transport.GetWriteBufferLimits());
            Assert.Throws<ArgumentOutOfRangeException>(() => transport.SetWriteBufferLimits(high: 10, low: 20));
            Assert.Throws<ArgumentOutOfRangeException>(() => transport.SetWriteBufferLimits(high: -1));
            Assert.Equal((0, 0), transport.GetWriteBufferLimits());
            transport.Close();
            server.Close();
        });
    }

    [Fact]
    public void HighAndLowWaterZero_PauseOnAnyBufferedByte_ResumeOnlyWhenEmpty()
    {
        var big = Pattern(BeyondNetworkBuffers, seed: 11);
        Run(async loop =>
        {
            var (server, accepted) = await Serve(loop);
            var (transport, client) = await loop.CreateConnection(() => new RecordingProtocol(loop), Host, PortOf(server));
            transport.SetWriteBufferLimits(high: 0, low: 0);
            Assert.Equal(0, client.PauseCount);
            transport.Write(big);
            Assert.Equal(1, client.PauseCount);
            await Until(() => client.ResumeCount == 1);
            Assert.Equal(0, client.BufferSizeAtResume);
            transport.Close();
            await client.Lost;
            await Until(() => accepted.Count == 1 && accepted[0].Received.Length == big.Length);
            server.Close();
        });
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void CloseOrAbortFromResumeWriting_AsTheBufferEmpties_LosesTheConnectionOnce(bool abort)
    {
        var big = Pattern(BeyondNetworkBuffers, seed: 12);
        Run(async loop =>
        {
            // Water marks at zero: ResumeWriting comes from the send that empties the buffer,
            // and the protocol ends the connection there (a producer that has written its last).
            var (server, accepted) = await Serve(loop);
            var (transport, client) = await loop.CreateConnection(() => new RecordingProtocol(loop)
            {
                OnResume = p =>
                {
                    if (abort)
                        p.Transport!.Abort();
                    else
                        p.Transport!.Close();
                },
            }, Host, PortOf(server));
            transport.SetWriteBufferLimits(high: 0, low: 0);
            transport.Write(big);
            Assert.Equal(1, client.PauseCount);
            Assert.Null(await client.Lost);
            Assert.Equal(1, client.ResumeCount);
            Assert.Equal(["made", "lost:None"], client.Events);
            if (!abort)
            {
                await Until(() => accepted.Count == 1 && accepted[0].Received.Length == big.Length);
                Assert.Null(await accepted[0].Lost);
            }
            await Asyncio.Sleep(SettleTime);
            Assert.Equal(["made", "lost:None"], client.Events);
            server.Close();
        });
    }

    [Fact]
    public void SetWriteBufferLimits_BelowBufferedSize_PausesAtOnce()
    {
        var big = Pattern(BeyondNetworkBuffers, seed: 13);
        Run(async loop =>
        {
            var (server, _) = await Serve(loop, () => new RecordingProtocol(loop) { OnMade = p => p.Transport!.PauseReading() });
            var (transport, client) = await loop.CreateConnection(() => new RecordingProtocol(loop), Host, PortOf(server));
            transport.SetWriteBufferLimits(high: 2 * BeyondNetworkBuffers);
            transport.Write(big);
            Assert.True(transport.GetWriteBufferSize() > 1024);
            Assert.Equal(0, client.PauseCount);
            transport.SetWriteBufferLimits(high: 1024);
            Assert.Equal(1, client.PauseCount);
            transport.Abort();
            Assert.Null(await client.Lost);
            Assert.Equal(0, client.ResumeCount);
            server.Close();
        });
    }

    [Fact]
    public void PauseReading_StopsDataReceived_UntilResumeReading()
    {
        Run(async loop =>
        {
            var (server, accepted) = await Serve(loop);
            var (transport, client) = await loop.CreateConnection(() => new RecordingProtocol(loop), Host, PortOf(server));
            transport.PauseReading();
            Assert.False(transport.IsReading);
            transport.PauseReading();
            await Until(() => accepted.Count == 1 && accepted[0].Made.Done);
            accepted[0].Transport!.Write("while paused"u8);
            await Asyncio.Sleep(SettleTime);
            Assert.Equal(["made"], client.Events);
            transport.ResumeReading();
            Assert.True(transport.IsReading);
            await Until(() => client.Received.Length == 12);
            Assert.Equal("while paused"u8.ToArray(), client.Received);
            transport.Close();
            await client.Lost;
            server.Close();
        });
    }
}

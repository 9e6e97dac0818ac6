using Sim.Core;
using Sim.Net;
using Sim.Real;
using Sim.Real.Linux;
using Sim.Tests.Conformance;

namespace Sim.Tests.Real;

/// <summary>
/// Vectored writes: <c>WriteLines</c> hands its pieces to the socket in one call (one sendmsg on
/// epoll) rather than joining them, what the network does not take is buffered exactly as one
/// <c>Write</c> of the joined pieces would be, and the pieces arrive intact and in order on every
/// backend, under backpressure too. Waits are bounded by loop time.
/// </summary>
[Trait("Category", "Unit")]
public sealed class VectoredWriteTests
{
    private const double TimeLimit = 20;

    public static TheoryData<string> Backends() => ["epoll", "portable", "simulation"];

    private static EventLoop CreateLoop(string backend) => BoundedRun.CreateLoop(backend, seed: 5);

    private static T Run<T>(EventLoop loop, Func<EventLoop, Coroutine<T>> body) => BoundedRun.Run(loop, TimeLimit, body);

    /// <summary>Piece i: i % 251 + 1 bytes, each byte naming the piece, so a lost, repeated or
    /// reordered piece shows.</summary>
    private static List<byte[]> Pieces(int count, int sizeMax = 251) =>
        Enumerable.Range(0, count).Select(i => Enumerable.Repeat((byte)(i * 7), (i % sizeMax) + 1).ToArray()).ToList();

    [Fact]
    public void WriteLines_HundredPiecesOnEpoll_OneSendCallAndTheBytesArriveIntact()
    {
        if (!OperatingSystem.IsLinux())
            return;
        var pieces = Pieces(100);
        var expected = pieces.SelectMany(p => p).ToArray();
        var (calls, received) = Run(CreateLoop("epoll"), async loop =>
        {
            var backend = (EpollBackend)loop.Backend;
            var (server, peer, client) = await LoopbackConnection.Open(loop);
            var before = backend.SendCalls;
            client.WriteLines(pieces);
            var sendCalls = backend.SendCalls - before;
            while (peer.Received.Length < expected.Length)
                await Asyncio.Sleep(0.001);
            client.Close();
            server.Close();
            return (sendCalls, peer.Received);
        });

        Assert.Equal(1, calls);
        Assert.Equal(expected, received);
    }

    [Theory]
    [MemberData(nameof(Backends))]
    public void WriteLines_ThousandsOfPiecesToAPausedReader_BufferedPausedThenAllArriveInOrder(string backend)
    {
        if (backend == "epoll" && !OperatingSystem.IsLinux())
            return;
        // About 20 MB: far more than loopback's socket buffers (a few MB), so much is buffered and the writer pauses.
        var pieces = Pieces(20_000, sizeMax: 2_000);
        var expected = pieces.SelectMany(p => p).ToArray();
        var (buffered, pauses, resumes, received) = Run(CreateLoop(backend), async loop =>
        {
            RecordingProtocol? writer = null;
            var (server, peer, client) = await LoopbackConnection.Open(loop);
            peer.Transport!.PauseReading();
            writer = (RecordingProtocol)client.GetProtocol();
            client.WriteLines(pieces);
            var bufferedAfterWrite = client.GetWriteBufferSize();
            await Asyncio.Sleep(0.05);
            peer.Transport.ResumeReading();
            while (peer.Received.Length < expected.Length)
                await Asyncio.Sleep(0.001);
            var result = (bufferedAfterWrite, writer.PauseCount, writer.ResumeCount, peer.Received);
            client.Close();
            server.Close();
            return result;
        });

        Assert.True(buffered > 64 * 1024, $"only {buffered} bytes were buffered");
        Assert.Equal(1, pauses);
        Assert.Equal(1, resumes);
        Assert.Equal(expected.Length, received.Length);
        Assert.Equal(expected, received);
    }

    [Fact]
    public void WriteLines_Simulation_BuffersAndPausesExactlyAsOneWriteOfTheJoinedPieces()
    {
        var pieces = Pieces(5_000);
        var joined = pieces.SelectMany(p => p).ToArray();

        (int Buffered, int Pauses, int AtPause) Measure(bool vectored) => Run(CreateLoop("simulation"), async loop =>
        {
            var (server, peer, client) = await LoopbackConnection.Open(loop);
            peer.Transport!.PauseReading();
            var writer = (RecordingProtocol)client.GetProtocol();
            if (vectored)
                client.WriteLines(pieces);
            else
                client.Write(joined);
            var result = (client.GetWriteBufferSize(), writer.PauseCount, writer.BufferSizeAtPause);
            client.Abort();
            server.Close();
            return result;
        });

        Assert.Equal(Measure(vectored: false), Measure(vectored: true));
    }

    [Fact]
    public void WriteBuffer_AppendConsumeAndSegments_KeepTheBytesInOrderAcrossChunks()
    {
        var buffer = new WriteBuffer();
        var reference = new List<byte>();
        var next = (byte)0;
        var segments = new ReadOnlyMemory<byte>[8];
        // Appends of growing sizes (many chunks, some larger than one), partial consumes in between.
        for (var round = 1; round <= 40; round++)
        {
            var data = new byte[round * 700];
            foreach (ref var b in data.AsSpan())
                b = next++;
            buffer.Append(data);
            reference.AddRange(data);
            var filled = buffer.GetSegments(segments);
            var seen = segments.Take(filled).SelectMany(s => s.ToArray()).ToArray();
            Assert.Equal(reference.Take(seen.Length), seen);
            Assert.Equal(reference.Count, buffer.Length);
            var consumed = Math.Min(buffer.Length, round * 500 + 13);
            buffer.Consume(consumed);
            reference.RemoveRange(0, consumed);
            Assert.Equal(reference.Count, buffer.Length);
            Assert.True(buffer.Length == 0 || buffer.First[0] == reference[0], "the first byte is the oldest");
        }
        buffer.Consume(buffer.Length);
        Assert.Equal(0, buffer.SegmentCount);
        buffer.Append([1, 2, 3]);
        buffer.Clear();
        Assert.Equal(0, buffer.Length);
        Assert.Equal(0, buffer.SegmentCount);
    }
}

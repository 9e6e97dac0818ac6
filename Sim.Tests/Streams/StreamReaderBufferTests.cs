using System.Text;
using Sim.Core;
using Sim.Tests.Infrastructure;

namespace Sim.Tests.Streams;

/// <summary>
/// The reader's buffering, fed directly: a chunk held whole for <c>Read(n)</c>, bytes kept in
/// order whichever read takes them, the pause threshold counting every buffered byte, and
/// <c>ReadInto</c> (the caller's buffer, filled straight from <c>FeedData</c> when it waits).
/// </summary>
[Trait("Category", "Unit")]
public sealed class StreamReaderBufferTests
{
    [Fact]
    public void Read_CoveringTheFedChunk_ReturnsItAllAndEmptiesTheBuffer()
    {
        var loop = TestLoops.NewLoop();
        var reader = new Sim.Core.StreamReader(loop: loop);
        reader.FeedData(Bytes("hello"));

        Assert.Equal("hello", Text(loop.RunUntilComplete(reader.Read(100))));
        Assert.Equal(0, reader.BufferedCount);
    }

    [Fact]
    public void Read_PartOfAChunk_ReturnsThePrefixThenTheRest()
    {
        var loop = TestLoops.NewLoop();
        var reader = new Sim.Core.StreamReader(loop: loop);
        reader.FeedData(Bytes("0123456789"));

        Assert.Equal("0123", Text(loop.RunUntilComplete(reader.Read(4))));
        Assert.Equal(6, reader.BufferedCount);
        Assert.Equal("456789", Text(loop.RunUntilComplete(reader.Read(100))));
        Assert.Equal(0, reader.BufferedCount);
    }

    [Fact]
    public void Read_AfterSeveralFeeds_ReturnsTheBytesInTheOrderFed()
    {
        var loop = TestLoops.NewLoop();
        var reader = new Sim.Core.StreamReader(loop: loop);
        reader.FeedData(Bytes("ab"));
        reader.FeedData(Bytes("cd"));
        reader.FeedData(Bytes("ef"));

        Assert.Equal(6, reader.BufferedCount);
        Assert.Equal("abcde", Text(loop.RunUntilComplete(reader.Read(5))));
        Assert.Equal("f", Text(loop.RunUntilComplete(reader.Read(5))));
    }

    [Fact]
    public void ReadLineAndReadExactly_AfterAPartialRead_SeeTheRemainingBytesThenLaterFeeds()
    {
        var loop = TestLoops.NewLoop();
        var reader = new Sim.Core.StreamReader(loop: loop);
        reader.FeedData(Bytes("hello\nwor"));

        Assert.Equal("he", Text(loop.RunUntilComplete(reader.Read(2))));
        Assert.Equal("llo\n", Text(loop.RunUntilComplete(reader.ReadLine())));
        reader.FeedData(Bytes("ld\nxyz"));
        Assert.Equal("world\n", Text(loop.RunUntilComplete(reader.ReadLine())));
        Assert.Equal("xy", Text(loop.RunUntilComplete(reader.ReadExactly(2))));
        reader.FeedEof();
        var incomplete = Assert.Throws<IncompleteReadException>(() => loop.RunUntilComplete(reader.ReadExactly(5)));
        Assert.Equal("z", Text(incomplete.Partial));
        Assert.True(reader.AtEof());
    }

    [Fact]
    public void FeedData_OneChunkAboveTwiceTheLimit_PausesUntilReadBackToTheLimit()
    {
        var loop = TestLoops.NewLoop();
        var reader = new Sim.Core.StreamReader(4, loop);
        var transport = new RecordingReadTransport();
        reader.SetTransport(transport);

        reader.FeedData(Bytes("012345678"));
        Assert.False(transport.IsReading);
        Assert.Equal("01", Text(loop.RunUntilComplete(reader.Read(2))));
        Assert.False(transport.IsReading);
        Assert.Equal("234", Text(loop.RunUntilComplete(reader.Read(3))));
        Assert.True(transport.IsReading);
        Assert.Equal(4, reader.BufferedCount);
    }

    [Fact]
    public void ReadInto_WithBytesBuffered_CopiesWhatFitsAndReturnsTheCount()
    {
        var loop = TestLoops.NewLoop();
        var reader = new Sim.Core.StreamReader(loop: loop);
        reader.FeedData(Bytes("abc"));
        reader.FeedData(Bytes("def"));
        var buffer = new byte[4];

        Assert.Equal(4, loop.RunUntilComplete(reader.ReadInto(buffer)));
        Assert.Equal("abcd", Text(buffer));
        Assert.Equal(2, loop.RunUntilComplete(reader.ReadInto(buffer)));
        Assert.Equal("ef", Text(buffer.AsSpan(0, 2).ToArray()));
    }

    [Fact]
    public void ReadInto_Waiting_GetsTheFedBytesAndTheRestStaysBuffered()
    {
        var loop = TestLoops.NewLoop();
        var reader = new Sim.Core.StreamReader(loop: loop);
        var buffer = new byte[4];
        var read = loop.CreateTask(reader.ReadInto(buffer));
        loop.RunUntilComplete(Asyncio.Sleep(0));
        Assert.False(read.Done);

        reader.FeedData(Bytes("abcdef"));
        Assert.Equal(2, reader.BufferedCount);
        Assert.Equal(4, loop.RunUntilComplete(read));
        Assert.Equal("abcd", Text(buffer));
        Assert.Equal("ef", Text(loop.RunUntilComplete(reader.Read(10))));
    }

    [Fact]
    public void ReadInto_AtTheEndOfTheStreamOrWithAnEmptyBuffer_ReturnsZero()
    {
        var loop = TestLoops.NewLoop();
        var reader = new Sim.Core.StreamReader(loop: loop);
        reader.FeedData(Bytes("x"));

        Assert.Equal(0, loop.RunUntilComplete(reader.ReadInto(Memory<byte>.Empty)));
        var read = loop.CreateTask(reader.ReadInto(new byte[8]));
        Assert.Equal(1, loop.RunUntilComplete(read));
        var atEof = loop.CreateTask(reader.ReadInto(new byte[8]));
        loop.RunUntilComplete(Asyncio.Sleep(0));
        reader.FeedEof();
        Assert.Equal(0, loop.RunUntilComplete(atEof));
    }

    [Fact]
    public void ReadInto_CancelledAfterItsBufferWasFilled_PutsTheBytesBackInOrder()
    {
        var loop = TestLoops.NewLoop();
        var reader = new Sim.Core.StreamReader(loop: loop);
        var read = loop.CreateTask(reader.ReadInto(new byte[3]));
        loop.RunUntilComplete(Asyncio.Sleep(0));

        reader.FeedData(Bytes("abcde"));
        read.Cancel();
        Assert.Throws<CancelledError>(() => loop.RunUntilComplete(read));
        Assert.Equal(5, reader.BufferedCount);
        Assert.Equal("abcde", Text(loop.RunUntilComplete(reader.Read(10))));
    }

    [Theory]
    [InlineData(false, "ab")]
    [InlineData(true, "abcd")]
    public void ReadInto_CancelledAfterItsBufferWasFilled_WhileASecondReadBegan_TheSecondGetsTheBytesInOrder(bool moreArrives, string expected)
    {
        var loop = TestLoops.NewLoop();
        var reader = new Sim.Core.StreamReader(loop: loop);
        var first = loop.CreateTask(reader.ReadInto(new byte[8]));
        loop.RunUntilComplete(Asyncio.Sleep(0));

        // In the next iteration, in this order: the second read begins (the first, filled, no
        // longer waits), more bytes may arrive, then the first resumes, cancelled.
        var buffer = new byte[8];
        var second = loop.CreateTask(reader.ReadInto(buffer));
        if (moreArrives)
            loop.CallSoon(() => reader.FeedData(Bytes("cd")));
        reader.FeedData(Bytes("ab"));
        first.Cancel();

        Assert.Throws<CancelledError>(() => loop.RunUntilComplete(first));
        var count = loop.RunUntilComplete(Asyncio.WaitFor(second, 1));
        Assert.Equal(expected, Text(buffer.AsSpan(0, count).ToArray()));
        Assert.Equal(0, reader.BufferedCount);
    }

    [Fact]
    public void ReadInto_WhileAnotherReadWaits_ThrowsAndLeavesTheWaitingReadIntact()
    {
        var loop = TestLoops.NewLoop();
        var reader = new Sim.Core.StreamReader(loop: loop);
        var buffer = new byte[8];
        var first = loop.CreateTask(reader.ReadInto(buffer));
        loop.RunUntilComplete(Asyncio.Sleep(0));

        var error = Assert.Throws<InvalidOperationException>(() => loop.RunUntilComplete(reader.ReadInto(new byte[8])));
        Assert.Contains("already waiting", error.Message, StringComparison.Ordinal);
        reader.FeedData(Bytes("ok"));
        Assert.Equal(2, loop.RunUntilComplete(first));
        Assert.Equal("ok", Text(buffer.AsSpan(0, 2).ToArray()));
    }

    [Fact]
    public void Read_CancelledWhileWaiting_RaisesTheCancelMessageAndTheNextReadGetsLaterData()
    {
        var loop = TestLoops.NewLoop();
        var reader = new Sim.Core.StreamReader(loop: loop);
        var read = loop.CreateTask(reader.Read(10));
        loop.RunUntilComplete(Asyncio.Sleep(0));

        read.Cancel("enough");
        var cancelled = Assert.Throws<CancelledError>(() => loop.RunUntilComplete(read));
        Assert.Equal("enough", cancelled.Message);
        Assert.Equal("<StreamReader>", reader.ToString());
        var next = loop.CreateTask(reader.Read(10));
        loop.RunUntilComplete(Asyncio.Sleep(0));
        reader.FeedData(Bytes("later"));
        Assert.Equal("later", Text(loop.RunUntilComplete(next)));
    }

    [Fact]
    public void Read_CancelledAfterDataArrived_LeavesTheDataBuffered()
    {
        var loop = TestLoops.NewLoop();
        var reader = new Sim.Core.StreamReader(loop: loop);
        var read = loop.CreateTask(reader.Read(10));
        loop.RunUntilComplete(Asyncio.Sleep(0));

        reader.FeedData(Bytes("kept"));
        read.Cancel();
        Assert.Throws<CancelledError>(() => loop.RunUntilComplete(read));
        Assert.Equal("kept", Text(loop.RunUntilComplete(reader.Read(10))));
    }

    [Fact]
    public void Read_WaitingWhenTheReaderFails_RaisesTheErrorThenEveryLaterReadDoes()
    {
        var loop = TestLoops.NewLoop();
        var reader = new Sim.Core.StreamReader(loop: loop);
        var read = loop.CreateTask(reader.ReadExactly(3));
        loop.RunUntilComplete(Asyncio.Sleep(0));
        var failure = new System.Net.Sockets.SocketException((int)System.Net.Sockets.SocketError.ConnectionReset);

        reader.SetException(failure);
        Assert.Same(failure, Assert.Throws<System.Net.Sockets.SocketException>(() => loop.RunUntilComplete(read)));
        Assert.Same(failure, Assert.Throws<System.Net.Sockets.SocketException>(() => loop.RunUntilComplete(reader.ReadInto(new byte[1]))));
    }

    private static byte[] Bytes(string text) => Encoding.ASCII.GetBytes(text);

    private static string Text(byte[] bytes) => Encoding.ASCII.GetString(bytes);

    /// <summary>A read side that only records whether reading is paused.</summary>
    private sealed class RecordingReadTransport : IReadTransport
    {
        public bool IsReading { get; private set; } = true;

        public bool IsClosing => false;

        public void PauseReading() => IsReading = false;

        public void ResumeReading() => IsReading = true;

        public void Close() { }

        public object? GetExtraInfo(string name, object? defaultValue = null) => defaultValue;

        public void SetProtocol(IBaseProtocol protocol) { }

        public IBaseProtocol GetProtocol() => throw new NotSupportedException("not used by the reader");
    }
}

using System.Runtime.InteropServices;
using System.Text;
using Sim.Core;
using Sim.Tests.Infrastructure;
using static Sim.Tests.Conformance.ConformanceHelpers;

namespace Sim.Tests.Streams;

/// <summary>
/// <see cref="StreamReaderProtocol"/> as a buffered protocol, driven as a transport drives it
/// (<c>GetBuffer</c>, fill, <c>BufferUpdated</c>): a waiting <c>ReadInto</c> with a buffer of 16 KiB
/// or more is received into directly, a <c>Read(n)</c> reader whose receives are that large gets
/// a receive array from the thread's spares while its bytes are unread, every other read gets the bytes as <c>DataReceived</c> would feed them.
/// </summary>
[Trait("Category", "Unit")]
public sealed class StreamReaderProtocolReceiveTests
{
    private const int LargeBuffer = 32 * 1024;

    [Fact]
    public void GetBuffer_WhileALargeReadIntoWaits_IsItsBufferAndBufferUpdatedCompletesTheRead()
    {
        var loop = TestLoops.NewLoop();
        var (reader, protocol) = NewProtocol(loop);
        var buffer = new byte[LargeBuffer];
        var read = loop.CreateTask(reader.ReadInto(buffer));
        loop.RunUntilComplete(Asyncio.Sleep(0));

        var received = protocol.GetBuffer(-1);
        Assert.True(MemoryMarshal.TryGetArray<byte>(received, out var segment));
        Assert.Same(buffer, segment.Array);
        Assert.Equal(LargeBuffer, received.Length);
        Bytes("hello").CopyTo(received);
        protocol.BufferUpdated(5);

        Assert.Equal(0, reader.BufferedCount);
        Assert.Equal(5, loop.RunUntilComplete(read));
        Assert.Equal("hello", Text(buffer.AsSpan(0, 5).ToArray()));
    }

    [Fact]
    public void GetBuffer_WhileASmallReadIntoWaits_IsAScratchBufferWhoseBytesAreFedInOrder()
    {
        var loop = TestLoops.NewLoop();
        var (reader, protocol) = NewProtocol(loop);
        var buffer = new byte[4];
        var read = loop.CreateTask(reader.ReadInto(buffer));
        loop.RunUntilComplete(Asyncio.Sleep(0));

        var received = protocol.GetBuffer(-1);
        Assert.True(MemoryMarshal.TryGetArray<byte>(received, out var segment));
        Assert.NotSame(buffer, segment.Array);
        Assert.Equal(256 * 1024, received.Length);
        Bytes("abcdef").CopyTo(received);
        protocol.BufferUpdated(6);

        Assert.Equal(2, reader.BufferedCount);
        Assert.Equal(4, loop.RunUntilComplete(read));
        Assert.Equal("abcd", Text(buffer));
        Assert.Equal("ef", Text(loop.RunUntilComplete(reader.Read(10))));
    }

    [Fact]
    public void BufferUpdated_WithNoReadWaiting_BuffersTheBytesForTheNextRead()
    {
        var loop = TestLoops.NewLoop();
        var (reader, protocol) = NewProtocol(loop);

        Bytes("first ").CopyTo(protocol.GetBuffer(-1));
        protocol.BufferUpdated(6);
        Bytes("second").CopyTo(protocol.GetBuffer(-1));
        protocol.BufferUpdated(6);

        Assert.Equal(12, reader.BufferedCount);
        Assert.Equal("first second", Text(loop.RunUntilComplete(reader.Read(100))));
    }

    [Fact]
    public void ReadInto_CancelledAfterADirectReceive_PutsTheBytesBackForTheNextRead()
    {
        var loop = TestLoops.NewLoop();
        var (reader, protocol) = NewProtocol(loop);
        var read = loop.CreateTask(reader.ReadInto(new byte[LargeBuffer]));
        loop.RunUntilComplete(Asyncio.Sleep(0));

        Bytes("kept").CopyTo(protocol.GetBuffer(-1));
        protocol.BufferUpdated(4);
        read.Cancel();

        Assert.Throws<CancelledError>(() => loop.RunUntilComplete(read));
        Assert.Equal(4, reader.BufferedCount);
        Assert.Equal("kept", Text(loop.RunUntilComplete(reader.Read(10))));
    }

    [Fact]
    public void BufferUpdated_WithMoreBytesThanTheBufferHolds_Throws()
    {
        var loop = TestLoops.NewLoop();
        var (_, protocol) = NewProtocol(loop);

        var length = protocol.GetBuffer(-1).Length;

        var error = Assert.Throws<ArgumentOutOfRangeException>(() => protocol.BufferUpdated(length + 1));
        Assert.Contains("More bytes than the receive buffer holds", error.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentOutOfRangeException>(() => protocol.BufferUpdated(-1));
    }

    [Fact]
    public void BufferUpdated_AfterEof_ThrowsAsFeedDataDoes()
    {
        var loop = TestLoops.NewLoop();
        var (reader, protocol) = NewProtocol(loop);
        var read = loop.CreateTask(reader.ReadInto(new byte[LargeBuffer]));
        loop.RunUntilComplete(Asyncio.Sleep(0));
        Assert.True(protocol.EofReceived());
        Assert.Equal(0, loop.RunUntilComplete(read));

        protocol.GetBuffer(-1);

        var error = Assert.Throws<InvalidOperationException>(() => protocol.BufferUpdated(1));
        Assert.Equal("feed_data after feed_eof", error.Message);
    }

    [Fact]
    public void GetBuffer_ForAReadReaderAfterALargeReceive_IsItsOwnArrayWhichReadCopiesOutOf()
    {
        var loop = TestLoops.NewLoop();
        var (reader, protocol) = NewProtocol(loop);
        var scratch = SegmentOf(protocol.GetBuffer(-1));
        var large = new byte[LargeBuffer];
        Array.Fill(large, (byte)'x');
        large.CopyTo(scratch.AsSpan());
        protocol.BufferUpdated(large.Length);
        Assert.Equal(large, loop.RunUntilComplete(reader.Read(100_000)));

        var read = loop.CreateTask(reader.Read(100_000));
        loop.RunUntilComplete(Asyncio.Sleep(0));
        var own = SegmentOf(protocol.GetBuffer(-1));
        Assert.NotSame(scratch.Array, own.Array);
        Assert.Equal(256 * 1024, own.Count);
        Bytes("small").CopyTo(own.AsSpan());
        protocol.BufferUpdated(5);

        var data = loop.RunUntilComplete(read);
        Assert.Equal("small", Text(data));
        Assert.NotSame(own.Array, data);
        Assert.Equal(0, reader.BufferedCount);
        // Read whole, the array went back to the pool: a connection at rest holds none.
        Assert.False(reader.HoldsReceiveArray);
        Assert.Equal(256 * 1024, SegmentOf(protocol.GetBuffer(-1)).Count);
        Assert.True(reader.HoldsReceiveArray);
        protocol.BufferUpdated(0);
        Assert.False(reader.HoldsReceiveArray);
    }

    [Fact]
    public void ReceiveArray_PartlyRead_KeepsTheRestInOrderBeforeLaterReceives()
    {
        var loop = TestLoops.NewLoop();
        var (reader, protocol) = NewProtocol(loop);
        GiveLargeReceive(loop, reader, protocol);

        var own = SegmentOf(protocol.GetBuffer(-1));
        Bytes("ab\ncd").CopyTo(own.AsSpan());
        protocol.BufferUpdated(5);
        Assert.Equal("a", Text(loop.RunUntilComplete(reader.Read(1))));
        var next = SegmentOf(protocol.GetBuffer(-1));
        Assert.NotSame(own.Array, next.Array);
        Bytes("ef\n").CopyTo(next.AsSpan());
        protocol.BufferUpdated(3);

        Assert.Equal(7, reader.BufferedCount);
        Assert.Equal("b\n", Text(loop.RunUntilComplete(reader.ReadLine())));
        Assert.Equal("cdef\n", Text(loop.RunUntilComplete(reader.ReadLine())));
    }

    [Fact]
    public void ReceiveArray_WithUnreadBytesAtEof_GivesThemThenTheEnd()
    {
        var loop = TestLoops.NewLoop();
        var (reader, protocol) = NewProtocol(loop);
        GiveLargeReceive(loop, reader, protocol);

        Bytes("last").CopyTo(protocol.GetBuffer(-1).Span);
        protocol.BufferUpdated(4);
        Assert.True(protocol.EofReceived());

        Assert.Equal("la", Text(loop.RunUntilComplete(reader.Read(2))));
        Assert.Equal("st", Text(loop.RunUntilComplete(reader.Read(10))));
        Assert.Empty(loop.RunUntilComplete(reader.Read(10)));
        Assert.True(reader.AtEof());
        Assert.False(reader.HoldsReceiveArray);
    }

    [Fact]
    public void GetBuffers_ForAWaitingReadOnceTwoReceivesHadOneSize_IsANewArrayTheReadReturns()
    {
        var (loop, reader, split, read) = WaitingReadAfterSteadyReceives(1000);
        var first = split.GetBuffers(out var overflow);
        Assert.True(MemoryMarshal.TryGetArray<byte>(first, out var fresh));
        Assert.Equal(100, fresh.Array!.Length);
        Assert.Equal(256 * 1024, overflow.Length);
        Pattern(100, seed: 3).CopyTo(first.Span);
        split.BufferUpdated(100);

        var data = loop.RunUntilComplete(read);
        Assert.Same(fresh.Array, data);
        Assert.Equal(Pattern(100, seed: 3), data);
        // The next receive gets an array of its own: the one returned is the caller's.
        var next = loop.CreateTask(reader.Read(1000));
        loop.RunUntilComplete(Asyncio.Sleep(0));
        Assert.True(MemoryMarshal.TryGetArray<byte>(split.GetBuffers(out _), out var second));
        Assert.NotSame(data, second.Array);
        split.BuffersUnused();
        next.Cancel();
        Assert.Throws<CancelledError>(() => loop.RunUntilComplete(next));
    }

    [Fact]
    public void GetBuffers_AReceiveRunningPastTheNewArray_IsReadWholeInOrderAndBreaksTheSteadySize()
    {
        var (loop, reader, split, read) = WaitingReadAfterSteadyReceives(1000);
        var first = split.GetBuffers(out var overflow);
        var sent = Pattern(150, seed: 4);
        sent.AsSpan(0, 100).CopyTo(first.Span);
        sent.AsSpan(100).CopyTo(overflow.Span);
        split.BufferUpdated(150);

        Assert.Equal(sent, loop.RunUntilComplete(read));
        // 150 after 100: no steady size, so the next receive goes to the scratch buffer.
        var next = loop.CreateTask(reader.Read(1000));
        loop.RunUntilComplete(Asyncio.Sleep(0));
        Assert.Equal(256 * 1024, split.GetBuffers(out var none).Length);
        Assert.True(none.IsEmpty);
        Bytes("end").CopyTo(split.GetBuffer(-1).Span);
        split.BufferUpdated(3);
        Assert.Equal("end", Text(loop.RunUntilComplete(next)));
    }

    [Fact]
    public void GetBuffers_AReceiveFallingShortOfTheNewArray_IsReadAsAnArrayOfItsLength()
    {
        var (loop, _, split, read) = WaitingReadAfterSteadyReceives(1000);
        Bytes("short").CopyTo(split.GetBuffers(out _).Span);
        split.BufferUpdated(5);
        Assert.Equal("short", Text(loop.RunUntilComplete(read)));
    }

    [Fact]
    public void GetBuffers_ForAReadAskingLessThanTheSteadySize_OrThroughGetBuffer_IsTheScratchBuffer()
    {
        var (loop, reader, split, small) = WaitingReadAfterSteadyReceives(50);
        Assert.Equal(256 * 1024, split.GetBuffers(out var overflow).Length);
        Assert.True(overflow.IsEmpty);
        split.BuffersUnused();
        // A transport that knows only IBufferedProtocol never gets the new array: it could not
        // say when a receive did not happen.
        Assert.Equal(256 * 1024, split.GetBuffer(-1).Length);
        Pattern(100, seed: 5).CopyTo(split.GetBuffer(-1).Span);
        split.BufferUpdated(100);
        Assert.Equal(Pattern(100, seed: 5).AsSpan(0, 50).ToArray(), loop.RunUntilComplete(small));
        Assert.Equal(Pattern(100, seed: 5).AsSpan(50).ToArray(), loop.RunUntilComplete(reader.Read(50)));
    }

    [Fact]
    public void BufferUpdated_PastBothBuffers_RaisesAndTheReadStillWaits()
    {
        var (loop, reader, split, read) = WaitingReadAfterSteadyReceives(1000);
        split.GetBuffers(out var overflow);
        Assert.Throws<ArgumentOutOfRangeException>(() => split.BufferUpdated(100 + overflow.Length + 1));
        Assert.Equal(0, reader.BufferedCount);
        Bytes("ok").CopyTo(split.GetBuffer(-1).Span);
        split.BufferUpdated(2);
        Assert.Equal("ok", Text(loop.RunUntilComplete(read)));
    }

    [Fact]
    public void BuffersUnused_AfterTheReceiveArrayWasTaken_GivesItBack()
    {
        var loop = TestLoops.NewLoop();
        var (reader, protocol) = NewProtocol(loop);
        var split = (ISplitBufferedProtocol)protocol;
        GiveLargeReceive(loop, reader, protocol);

        var read = loop.CreateTask(reader.Read(100_000));
        loop.RunUntilComplete(Asyncio.Sleep(0));
        Assert.Equal(256 * 1024, SegmentOf(split.GetBuffers(out _)).Count);
        Assert.True(reader.HoldsReceiveArray);
        // The receive would have blocked: an idle connection holds no receive array.
        split.BuffersUnused();
        Assert.False(reader.HoldsReceiveArray);
        read.Cancel();
        Assert.Throws<CancelledError>(() => loop.RunUntilComplete(read));
    }

    /// <summary>A Read reader whose receives settled on 100 bytes, and a Read(<paramref name="readCount"/>) now waiting.</summary>
    private static (EventLoop Loop, Sim.Core.StreamReader Reader, ISplitBufferedProtocol Protocol, LoopTask<byte[]> Read) WaitingReadAfterSteadyReceives(int readCount)
    {
        var loop = TestLoops.NewLoop();
        var (reader, protocol) = NewProtocol(loop);
        var split = (ISplitBufferedProtocol)protocol;
        SettleReceiveSize(loop, reader, split, 100);
        var read = loop.CreateTask(reader.Read(readCount));
        loop.RunUntilComplete(Asyncio.Sleep(0));
        return (loop, reader, split, read);
    }

    /// <summary>Two receives of <paramref name="size"/> bytes for a Read reader, each read at once.</summary>
    private static void SettleReceiveSize(EventLoop loop, Sim.Core.StreamReader reader, ISplitBufferedProtocol protocol, int size)
    {
        for (var i = 0; i < 2; i++)
        {
            var buffer = protocol.GetBuffers(out var overflow);
            Assert.True(overflow.IsEmpty);
            Pattern(size, seed: i).CopyTo(buffer.Span);
            protocol.BufferUpdated(size);
            Assert.Equal(Pattern(size, seed: i), loop.RunUntilComplete(reader.Read(size)));
        }
    }

    /// <summary>One receive of 16 KiB or more for a Read reader, read at once: from then on the
    /// reader receives into its own array.</summary>
    private static void GiveLargeReceive(EventLoop loop, Sim.Core.StreamReader reader, IBufferedProtocol protocol)
    {
        protocol.GetBuffer(-1);
        protocol.BufferUpdated(LargeBuffer);
        Assert.Equal(LargeBuffer, loop.RunUntilComplete(reader.Read(LargeBuffer)).Length);
    }

    /// <summary>The array behind a receive buffer, which starts on a page boundary.</summary>
    private static ArraySegment<byte> SegmentOf(Memory<byte> buffer)
    {
        Assert.True(MemoryMarshal.TryGetArray<byte>(buffer, out var segment));
        // The arrays are pinned, so the address is stable.
        Assert.Equal(0, (long)Marshal.UnsafeAddrOfPinnedArrayElement(segment.Array!, segment.Offset) % 4096);
        return segment;
    }

    private static (Sim.Core.StreamReader Reader, IBufferedProtocol Protocol) NewProtocol(EventLoop loop)
    {
        var reader = new Sim.Core.StreamReader(loop: loop);
        return (reader, new StreamReaderProtocol(reader, loop: loop));
    }

    private static byte[] Bytes(string text) => Encoding.ASCII.GetBytes(text);

    private static string Text(byte[] bytes) => Encoding.ASCII.GetString(bytes);
}

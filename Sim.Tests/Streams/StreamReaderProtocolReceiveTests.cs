using System.Runtime.InteropServices;
using System.Text;
using Sim.Core;
using Sim.Tests.Infrastructure;

namespace Sim.Tests.Streams;

/// <summary>
/// <see cref="StreamReaderProtocol"/> as a buffered protocol, driven as a transport drives it
/// (<c>GetBuffer</c>, fill, <c>BufferUpdated</c>): a waiting <c>ReadInto</c> with a buffer of 16 KiB
/// or more is received into directly, every other read gets the bytes as <c>DataReceived</c>
/// would feed them.
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

    private static (Sim.Core.StreamReader Reader, IBufferedProtocol Protocol) NewProtocol(EventLoop loop)
    {
        var reader = new Sim.Core.StreamReader(loop: loop);
        return (reader, new StreamReaderProtocol(reader, loop: loop));
    }

    private static byte[] Bytes(string text) => Encoding.ASCII.GetBytes(text);

    private static string Text(byte[] bytes) => Encoding.ASCII.GetString(bytes);
}

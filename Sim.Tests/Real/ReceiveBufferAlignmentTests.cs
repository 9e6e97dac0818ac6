using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Sim.Core;
using Sim.Tests.Conformance;

namespace Sim.Tests.Real;

/// <summary>
/// The stream transport receives into a page-aligned buffer (the kernel's copies in and out of a
/// buffer 1–15 bytes out of step with its socket pages run many times slower on some processors):
/// the buffer helper hands out aligned, pinned memory, and the bytes a protocol's
/// <c>DataReceived</c> gets start on a page boundary on every backend.
/// </summary>
[Trait("Category", "Unit")]
public sealed class ReceiveBufferAlignmentTests
{
    private const double TimeLimit = 20;

    public static TheoryData<string> Backends() => ["epoll", "portable", "simulation"];

    /// <summary>The address of a span's first byte (without unsafe code).</summary>
    private static long AddressOf(ReadOnlySpan<byte> bytes) =>
        Unsafe.ByteOffset(ref Unsafe.NullRef<byte>(), ref MemoryMarshal.GetReference(bytes));

    [Theory]
    [InlineData(1)]
    [InlineData(4096)]
    [InlineData(256 * 1024)]
    public void Allocate_StartsOnAPageBoundary_AndStaysThereAfterACompactingCollection(int length)
    {
        var buffer = PageAlignedBuffer.Allocate(length);
        var address = AddressOf(buffer.AsSpan());

        GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);

        Assert.Equal(length, buffer.Count);
        Assert.True(buffer.Offset + buffer.Count <= buffer.Array!.Length, "the segment lies inside its array");
        Assert.Equal(0, address % PageAlignedBuffer.Alignment);
        Assert.Equal(address, AddressOf(buffer.AsSpan()));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    public void Allocate_LengthNotPositive_Throws(int length)
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => PageAlignedBuffer.Allocate(length));

        Assert.Equal("length", error.ParamName);
    }

    [Theory]
    [MemberData(nameof(Backends))]
    public void DataReceived_OnEveryBackend_GetsBytesStartingOnAPageBoundary(string backend)
    {
        if (backend == "epoll" && !OperatingSystem.IsLinux())
            return;
        var message = Enumerable.Range(0, 100 * 1024).Select(i => (byte)(i * 31)).ToArray();
        var (received, offsets) = BoundedRun.Run(BoundedRun.CreateLoop(backend, seed: 7), TimeLimit, async loop =>
        {
            var (server, accepted, client) = await LoopbackConnection.Open(loop, () => new AddressRecordingProtocol(loop));
            var peer = (AddressRecordingProtocol)accepted;
            client.Write(message);
            while (peer.Received.Length < message.Length)
                await Asyncio.Sleep(0.001);
            client.Close();
            server.Close();
            return (peer.Received, peer.PageOffsets);
        });

        Assert.Equal(message, received);
        Assert.NotEmpty(offsets);
        Assert.All(offsets, offset => Assert.Equal(0, offset));
    }

    /// <summary>Records where in its page each <c>DataReceived</c>'s first byte lies.</summary>
    private sealed class AddressRecordingProtocol(EventLoop loop) : RecordingProtocol(loop)
    {
        public List<long> PageOffsets { get; } = [];

        public override void DataReceived(ReadOnlySpan<byte> data)
        {
            PageOffsets.Add(AddressOf(data) % PageAlignedBuffer.Alignment);
            base.DataReceived(data);
        }
    }
}

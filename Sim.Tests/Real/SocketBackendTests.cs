using System.Net;
using System.Net.Sockets;
using Sim.Core;
using Sim.Real;
using Sim.Real.Portable;

namespace Sim.Tests.Real;

/// <summary>
/// What the portable backend adds to the primitive contract: completions from the thread pool
/// reach watchers only inside Poll on the loop thread; its send buffer is bounded, so a peer that
/// never reads stops the writer; a close delivers the bytes accepted before the FIN, or resets
/// when received bytes were never read; a closed listener resets the connections it had taken.
/// Split by concern: this file (threads and bounds), <c>.Closing.cs</c>.
/// </summary>
[Trait("Category", "Concurrency")]
public sealed partial class SocketBackendTests
{
    // Generous: loopback answers in microseconds, but the machine may be loaded and the thread
    // pool that delivers completions may be slow to add threads.
    private const double WaitMax = 10;

    // How long a socket must stay unwritable to count as blocked: longer than the kernel needs to
    // move what it took, short enough to keep the test quick.
    private const double QuietTime = 0.5;

    // Far above what Linux loopback buffers plus the backend's 64 KiB can hold (a few MiB), far
    // below what an unbounded buffer would take in the seconds the test runs.
    private const long AcceptedMax = 64L * 1024 * 1024;

    [Fact]
    public void Watchers_CompletionsOnThePool_AreToldOnlyInsidePollOnTheLoopThread()
    {
        var backend = new PollRecordingBackend<SocketBackend>(new SocketBackend());
        var loop = new EventLoop(new MonotonicClock(), backend);
        var loopThread = Environment.CurrentManagedThreadId;
        var told = 0;
        var outside = new List<string>();
        void Check(IoReadiness readiness)
        {
            told++;
            if (!backend.InPoll || Environment.CurrentManagedThreadId != loopThread)
                outside.Add($"{readiness} on thread {Environment.CurrentManagedThreadId}, in poll: {backend.InPoll}");
        }
        async Coroutine<long> Main()
        {
            var (listener, client, server) = await ConnectedPair(loop, backend, IPAddress.Loopback, Check);
            // A quarter of a megabyte each way, at the pace readiness allows: every receive and
            // every send of the ring buffer completes at least once on the thread pool.
            const int total = 256 * 1024;
            var toServer = loop.CreateTask(Transfer(loop, client, server, total, Check));
            var toClient = loop.CreateTask(Transfer(loop, server, client, total, Check));
            var moved = await toServer + await toClient;
            client.Close();
            server.Close();
            listener.Close();
            return moved;
        }
        try
        {
            Assert.Equal(512 * 1024, loop.RunUntilComplete(Main()));
            Assert.True(told > 0);
            Assert.Empty(outside);
        }
        finally
        {
            loop.Close();
        }
    }

    [Theory]
    [InlineData("127.0.0.1")]
    [InlineData("::1")]
    public void Send_PeerNeverReads_AcceptsBoundedBytesThenWritableAgainOnceRead(string address)
    {
        if (address == "::1" && !Socket.OSSupportsIPv6)
            return;
        var loop = RealLoop.Create(RealBackendKind.Portable);
        var network = (INetworkBackend)loop.Backend;
        async Coroutine<(long Accepted, long Received)> Main()
        {
            var (listener, client, server) = await ConnectedPair(loop, network, IPAddress.Parse(address));
            var accepted = await SendUntilBlocked(loop, client);
            var received = await ReceivePattern(loop, server, accepted);
            await Ready(loop, client.Watch, IoReadiness.Writable);
            client.Close();
            server.Close();
            listener.Close();
            return (accepted, received);
        }
        try
        {
            var (accepted, received) = loop.RunUntilComplete(Main());
            Assert.InRange(accepted, SocketStreamSocket.SendBufferSize, AcceptedMax);
            Assert.Equal(accepted, received);
        }
        finally
        {
            loop.Close();
        }
    }

    [Fact]
    public void Resolve_Localhost_ReturnsTheLoopbackAddress()
    {
        var loop = RealLoop.Create(RealBackendKind.Portable);
        try
        {
            var addresses = loop.RunUntilComplete(((INetworkBackend)loop.Backend).Resolve("localhost", AddressFamily.InterNetwork));
            Assert.Contains(IPAddress.Loopback, addresses);
        }
        finally
        {
            loop.Close();
        }
    }

    /// <summary>A listener on <paramref name="address"/> and a connected client and server socket.</summary>
    private static async Coroutine<(IStreamListener Listener, IStreamSocket Client, IStreamSocket Server)> ConnectedPair(
        EventLoop loop, INetworkBackend network, IPAddress address, Action<IoReadiness>? check = null)
    {
        var listener = network.Listen(new IPEndPoint(address, 0), backlog: 8);
        var client = network.Connect((IPEndPoint)listener.LocalEndPoint, local: null);
        await Ready(loop, client.Watch, IoReadiness.Writable, check);
        client.FinishConnect();
        IStreamSocket? server;
        while ((server = listener.TryAccept()) is null)
            await Ready(loop, listener.Watch, IoReadiness.Readable, check);
        return (listener, client, server);
    }

    /// <summary>Sends <paramref name="total"/> pattern bytes from one socket to the other, each side
    /// waiting for its readiness; returns the bytes received, checked.</summary>
    private static async Coroutine<long> Transfer(EventLoop loop, IStreamSocket from, IStreamSocket to, int total, Action<IoReadiness> check)
    {
        var sending = loop.CreateTask(SendPattern(loop, from, total, check));
        var received = await ReceivePattern(loop, to, total, check);
        await sending;
        return received;
    }

    private static async Coroutine<long> SendPattern(EventLoop loop, IStreamSocket socket, long total, Action<IoReadiness>? check = null)
    {
        var chunk = new byte[16 * 1024];
        long sent = 0;
        while (sent < total)
        {
            var length = (int)Math.Min(chunk.Length, total - sent);
            FillPattern(chunk.AsSpan(0, length), sent);
            var count = socket.Send(chunk.AsSpan(0, length));
            if (count == 0)
                await Ready(loop, socket.Watch, IoReadiness.Writable, check);
            sent += count;
        }
        return sent;
    }

    /// <summary>Sends pattern bytes as long as the socket takes them, until it has stayed
    /// unwritable for <see cref="QuietTime"/>; returns how many it took.</summary>
    private static async Coroutine<long> SendUntilBlocked(EventLoop loop, IStreamSocket socket)
    {
        var chunk = new byte[64 * 1024];
        long accepted = 0;
        while (true)
        {
            FillPattern(chunk, accepted);
            var count = socket.Send(chunk);
            accepted += count;
            Assert.True(accepted <= AcceptedMax, $"the socket took {accepted} bytes the peer never read");
            if (count == 0 && !await ReadyWithin(loop, socket.Watch, IoReadiness.Writable, QuietTime))
                return accepted;
        }
    }

    /// <summary>Receives <paramref name="total"/> bytes, checking each against the pattern.</summary>
    private static async Coroutine<long> ReceivePattern(EventLoop loop, IStreamSocket socket, long total, Action<IoReadiness>? check = null)
    {
        var buffer = new byte[32 * 1024];
        var expected = new byte[buffer.Length];
        long received = 0;
        while (received < total)
        {
            var count = socket.Receive(buffer);
            if (count == IStreamSocket.WouldBlock)
            {
                await Ready(loop, socket.Watch, IoReadiness.Readable, check);
                continue;
            }
            Assert.True(count > 0, $"the stream ended after {received} of {total} bytes");
            FillPattern(expected.AsSpan(0, count), received);
            Assert.True(buffer.AsSpan(0, count).SequenceEqual(expected.AsSpan(0, count)), $"bytes {received}..{received + count} differ");
            received += count;
        }
        return received;
    }

    /// <summary>Position-dependent bytes: any loss, duplication or reordering shows.</summary>
    private static void FillPattern(Span<byte> span, long offset)
    {
        for (var i = 0; i < span.Length; i++)
        {
            var position = offset + i;
            span[i] = (byte)((position * 31) ^ (position >> 10));
        }
    }

    /// <summary>Waits (bounded by <see cref="WaitMax"/>) until the endpoint reports <paramref name="interest"/>.</summary>
    private static async Coroutine Ready(EventLoop loop, Action<IIoWatcher, IoReadiness> watch, IoReadiness interest, Action<IoReadiness>? check = null)
    {
        if (!await ReadyWithin(loop, watch, interest, WaitMax, check))
            Assert.Fail($"not {interest} within {WaitMax} s");
    }

    /// <summary>Whether the endpoint reports <paramref name="interest"/> within <paramref name="seconds"/>; stops watching either way.</summary>
    private static async Coroutine<bool> ReadyWithin(EventLoop loop, Action<IIoWatcher, IoReadiness> watch, IoReadiness interest, double seconds, Action<IoReadiness>? check = null)
    {
        var ready = loop.CreateFuture<bool>();
        var watcher = new OnceWatcher(loop, ready, check);
        watch(watcher, interest);
        var timeout = loop.CallLater(seconds, () =>
        {
            if (!ready.Done)
                ready.SetResult(false);
        });
        try
        {
            return await ready;
        }
        finally
        {
            timeout.Cancel();
            watch(watcher, IoReadiness.None);
        }
    }

    private sealed class OnceWatcher(EventLoop loop, Future<bool> ready, Action<IoReadiness>? check) : IIoWatcher
    {
        public void OnReady(IoReadiness readiness)
        {
            check?.Invoke(readiness);
            loop.CallSoon(() =>
            {
                if (!ready.Done)
                    ready.SetResult(true);
            });
        }
    }
}

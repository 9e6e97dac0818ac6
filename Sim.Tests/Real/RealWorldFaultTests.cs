using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Runtime.ExceptionServices;
using System.Text;
using Sim.Core;
using Sim.Real;
using Sim.Tests.Conformance;
using Xunit.Abstractions;

namespace Sim.Tests.Real;

/// <summary>
/// The real-world faults of issue 5 over 127.0.0.1 on both real backends (every test is a
/// theory over epoll and portable), with real peers (raw <see cref="Socket"/>s on threads of
/// their own) where a SimLoop peer could not misbehave the way the fault needs. Split by
/// concern: this file (the harness, a reset, a peer that never reads, a slow loris),
/// <c>.Scale.cs</c> (a thousand connections, a listener closed under connects),
/// <c>.Descriptors.cs</c> (closing a loop with connections open), <c>.Threads.cs</c>
/// (<c>CallSoonThreadsafe</c> under I/O), <c>.Unix.cs</c> (the same with Unix sockets).
/// </summary>
/// <remarks>
/// Every test is bounded twice: a loop-time guard stops a loop that waits too long (the real
/// loop's clock is the monotonic wall clock, so this is a wall-time bound too), and the loop runs
/// on a thread of its own that must finish within the limit plus a margin, which catches a loop
/// thread blocked outside the loop. The class runs alone (its collection is not parallelised): it
/// counts the process's descriptors and opens thousands of sockets, which tests running
/// alongside would disturb and be disturbed by.
/// </remarks>
[Trait("Category", "Concurrency")]
[CollectionDefinition(nameof(RealWorldFaultTests), DisableParallelization = true)]
[Collection(nameof(RealWorldFaultTests))]
public sealed partial class RealWorldFaultTests(ITestOutputHelper output)
{
    private const string Host = "127.0.0.1";

    // Loop time (seconds) a test may take before its guard stops the loop: far above what any
    // test needs (a few seconds at most), so only a hang trips it.
    private const double TimeLimit = 30;

    // Wall time a raw peer's blocking call may take, so a peer thread never outlives its test.
    private const int PeerTimeoutMs = 20_000;

    // Wall time the loop thread gets beyond the guard to unwind and close the loop.
    private static readonly TimeSpan s_joinMargin = TimeSpan.FromSeconds(15);

    [Theory]
    [InlineData(RealBackendKind.Epoll)]
    [InlineData(RealBackendKind.Portable)]
    public void PeerResetsMidStream_ProtocolLosesConnectionWithConnectionReset_ThenHearsNothing(RealBackendKind kind)
    {
        // Bytes the loop receives before the peer resets: well into the stream.
        const int resetAfter = 1 << 20;
        // The peer never sends more than this, whatever happens.
        const long streamMax = 256L << 20;
        Run(kind, async loop =>
        {
            using var resetNow = new ManualResetEventSlim();
            long received = 0;
            var (server, accepted) = await Serve(loop, () => new RecordingProtocol(loop)
            {
                OnData = (_, data) =>
                {
                    received += data.Length;
                    if (received >= resetAfter)
                        resetNow.Set();
                },
            });
            var port = PortOf(server);
            var sent = await OnThread(loop, "resetting peer", () =>
            {
                using var peer = RawSocket();
                peer.LingerState = new LingerOption(true, 0);
                peer.Connect(new IPEndPoint(IPAddress.Loopback, port));
                var chunk = new byte[64 * 1024];
                long offset = 0;
                while (!resetNow.IsSet && offset < streamMax)
                {
                    FillPattern(chunk, offset);
                    offset += peer.Send(chunk);
                }
                // SO_LINGER 0: the close is a reset, whatever is still in flight is dropped.
                peer.Close();
                return offset;
            });

            var protocol = Assert.Single(accepted);
            var error = Assert.IsType<SocketException>(await Asyncio.WaitFor(protocol.Lost, 10));
            Assert.Equal(SocketError.ConnectionReset, error.SocketErrorCode);
            Assert.Equal(["made", "data", "lost:ConnectionReset"], protocol.Events);
            var bytes = protocol.Received;
            Assert.InRange(bytes.Length, resetAfter, sent);
            Assert.Equal(-1, FirstPatternMismatch(bytes, 0));
            var callsAtLoss = protocol.DataCalls;
            await Asyncio.Sleep(0.2);
            Assert.Equal(["made", "data", "lost:ConnectionReset"], protocol.Events);
            Assert.Equal(callsAtLoss, protocol.DataCalls);
            Assert.Equal(0, server.ActiveConnections);
            server.Close();
            await Asyncio.WaitFor(server.WaitClosed(), 10);
        });
    }

    [Theory]
    [InlineData(RealBackendKind.Epoll)]
    [InlineData(RealBackendKind.Portable)]
    public void PeerNeverReads_WriterIsPausedAndDrainWaits_ThenEveryByteArrivesInOrder(RealBackendKind kind)
    {
        const int chunkSize = 32 * 1024;
        // Far beyond any socket buffers: a writer that got this far was never held back.
        const long writtenMax = 256L << 20;
        // A Drain still pending after this long, and again a second later, is held back by the
        // peer; one that completes in that second was only held back by a busy machine (the
        // portable backend's completions wait for pool threads), and the writing goes on.
        const double stallTime = 0.5;
        Run(kind, async loop =>
        {
            using var listener = RawSocket();
            // A small fixed receive buffer (inherited by the accepted socket): the network fills fast.
            listener.ReceiveBufferSize = 128 * 1024;
            listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
            listener.Listen(1);
            var (_, writer) = await Asyncio.OpenConnection(Host, ((IPEndPoint)listener.LocalEndPoint!).Port);
            using var peer = await OnThread(loop, "accepting peer", listener.Accept);
            peer.ReceiveTimeout = PeerTimeoutMs;
            var (lowWater, highWater) = writer.Transport.GetWriteBufferLimits();

            long written = 0;
            var bufferMax = 0;
            LoopTask<Unit>? stalled = null;
            while (stalled is null && written < writtenMax)
            {
                writer.Write(PatternChunk(written, chunkSize));
                written += chunkSize;
                bufferMax = Math.Max(bufferMax, writer.Transport.GetWriteBufferSize());
                var drain = loop.CreateTask(writer.Drain());
                if (!await Within(stallTime, () => drain.Done))
                {
                    await Asyncio.Sleep(1);
                    if (!drain.Done)
                        stalled = drain;
                }
                if (stalled is null)
                    await drain;
            }
            Assert.True(stalled is not null, $"the peer never read, yet {written} bytes were written without Drain waiting");
            // Drain waits only while writing is paused: above the low-water mark at least.
            Assert.True(writer.Transport.GetWriteBufferSize() > lowWater, "Drain waits while the writer is not paused");
            Assert.True(bufferMax <= highWater + chunkSize, $"the write buffer reached {bufferMax} bytes (high water {highWater}, writes of {chunkSize})");

            var reading = OnThread(loop, "reading peer", () => ReadToEnd(peer));
            await Asyncio.WaitFor(stalled, 10);
            for (var i = 0; i < 16; i++)
            {
                writer.Write(PatternChunk(written, chunkSize));
                written += chunkSize;
                Assert.True(writer.Transport.GetWriteBufferSize() <= highWater + chunkSize);
                await Asyncio.WaitFor(writer.Drain(), 10);
            }
            writer.Close();
            await Asyncio.WaitFor(writer.WaitClosed(), 10);
            var (count, mismatch) = await Asyncio.WaitFor(reading, 10);
            Assert.Equal(written, count);
            Assert.Equal(-1, mismatch);
        });
    }

    [Theory]
    [InlineData(RealBackendKind.Epoll)]
    [InlineData(RealBackendKind.Portable)]
    public void SlowLorisClient_ServerKeepsServingOthers_AndServesTheLorisInTheEnd(RealBackendKind kind)
    {
        // The loris's request: this many bytes, one at a time, then the newline that ends it.
        const int lorisBytes = 40;
        const int others = 3;
        Run(kind, async loop =>
        {
            // Every line the server handled, in order; and how many connections it took.
            var served = new List<string>();
            var connections = 0;
            var server = await Asyncio.StartServer(async (reader, writer) =>
            {
                connections++;
                while (await reader.ReadLine() is { Length: > 0 } line)
                {
                    served.Add(Encoding.ASCII.GetString(line));
                    writer.Write(line);
                    await writer.Drain();
                }
                writer.Close();
                await writer.WaitClosed();
            }, Host, 0);
            var port = PortOf(server);

            // The loris is a raw peer on a thread of its own that sends exactly the bytes the
            // test hands it, when the test hands them: no timer decides how far it has got.
            using var lorisNext = new BlockingCollection<byte>();
            var lorisSent = 0;
            var loris = OnThread(loop, "slow loris", () =>
            {
                using var socket = RawSocket();
                socket.Connect(new IPEndPoint(IPAddress.Loopback, port));
                byte next;
                do
                {
                    if (!lorisNext.TryTake(out next, PeerTimeoutMs))
                        throw new TimeoutException("the test handed the loris no next byte");
                    socket.Send([next]);
                    Interlocked.Increment(ref lorisSent);
                }
                while (next != (byte)'\n');
                var echoed = ReadLineFrom(socket);
                socket.Shutdown(SocketShutdown.Send);
                return echoed;
            });
            lorisNext.Add((byte)'x');
            Assert.True(await Within(10, () => Volatile.Read(ref lorisSent) == 1 && connections == 1), "the loris did not connect and send");

            var clients = new List<(Sim.Core.StreamReader Reader, Sim.Core.StreamWriter Writer)>();
            for (var i = 0; i < others; i++)
                clients.Add(await Asyncio.OpenConnection(Host, port));
            async Coroutine RoundTrip(int client, int step)
            {
                var (reader, writer) = clients[client];
                var line = Encoding.ASCII.GetBytes($"client {client} step {step}\n");
                writer.Write(line);
                await writer.Drain();
                Assert.Equal(line, await Asyncio.WaitFor(reader.ReadLine(), 10));
            }

            // Each step: every other client completes a round trip while the loris's request,
            // sent this far, lacks its end; only then does the loris send its next byte.
            for (var step = 1; step <= lorisBytes; step++)
            {
                await Asyncio.WaitFor(Asyncio.Gather(Enumerable.Range(0, others).Select(client => RoundTrip(client, step))), 10);
                Assert.Equal(step, Volatile.Read(ref lorisSent));
                Assert.False(loris.Done, "the loris got an answer to a request it has not finished");
                Assert.Equal(step * others, served.Count);
                Assert.DoesNotContain(served, line => line.StartsWith('x'));
                lorisNext.Add(step < lorisBytes ? (byte)'x' : (byte)'\n');
                var sent = step + 1;
                Assert.True(await Within(10, () => Volatile.Read(ref lorisSent) == sent), $"the loris did not send byte {sent}");
            }
            foreach (var (_, writer) in clients)
            {
                writer.Close();
                await writer.WaitClosed();
            }

            var lorisLine = await Asyncio.WaitFor(loris, 10);
            Assert.Equal(new string('x', lorisBytes) + "\n", Encoding.ASCII.GetString(lorisLine));
            Assert.Equal(new string('x', lorisBytes) + "\n", served[^1]);
            Assert.Equal(lorisBytes * others + 1, served.Count);
            Assert.Equal(1 + others, connections);
            server.Close();
            await Asyncio.WaitFor(server.WaitClosed(), 10);
        });
    }

    /// <summary>
    /// Runs <paramref name="body"/> on a fresh loop on the <paramref name="kind"/> backend on a
    /// thread of its own, bounded by <paramref name="timeLimit"/> seconds of loop time (and that
    /// plus a margin of wall time), closes the loop, and fails if anything reached the loop's
    /// exception handler.
    /// </summary>
    private static void Run(RealBackendKind kind, Func<EventLoop, Coroutine> body, double timeLimit = TimeLimit) => Run(RealLoop.Create(kind), body, timeLimit);

    private static void Run(EventLoop loop, Func<EventLoop, Coroutine> body, double timeLimit = TimeLimit)
    {
        var errors = new List<string>();
        loop.SetExceptionHandler((_, context) => errors.Add(context.ToString()));
        var timedOut = false;
        RunOnThread(() =>
        {
            try
            {
                var guard = loop.CallLater(timeLimit, () =>
                {
                    timedOut = true;
                    loop.Stop();
                });
                loop.RunUntilComplete(body(loop));
                guard.Cancel();
            }
            catch (InvalidOperationException) when (timedOut)
            {
                Assert.Fail($"the test was still running after {timeLimit} s of loop time");
            }
            finally
            {
                if (!loop.IsRunning)
                    loop.Close();
            }
        }, TimeSpan.FromSeconds(timeLimit) + s_joinMargin);
        Assert.True(errors.Count == 0, "the loop reported: " + string.Join("\n", errors));
    }

    private static void RunOnThread(Action action, TimeSpan timeMax)
    {
        ExceptionDispatchInfo? error = null;
        var thread = new Thread(() =>
        {
            try
            {
                action();
            }
            catch (Exception exception)
            {
                error = ExceptionDispatchInfo.Capture(exception);
            }
        }) { IsBackground = true, Name = "SimLoop fault test loop" };
        thread.Start();
        Assert.True(thread.Join(timeMax), $"the loop thread was still running after {timeMax}");
        error?.Throw();
    }

    /// <summary>
    /// Runs blocking <paramref name="work"/> on a new thread (not the thread pool, which two cores
    /// and blocking peers would starve) and completes the returned future with its outcome.
    /// </summary>
    private static Future<T> OnThread<T>(EventLoop loop, string name, Func<T> work)
    {
        var future = loop.CreateFuture<T>();
        new Thread(() =>
        {
            Action deliver;
            try
            {
                var result = work();
                deliver = () => future.SetResult(result);
            }
            catch (Exception exception)
            {
                deliver = () => future.SetException(exception);
            }
            try
            {
                loop.CallSoonThreadsafe(() =>
                {
                    if (!future.Done)
                        deliver();
                });
            }
            catch (InvalidOperationException)
            {
                // The loop is closed: its test has finished (failed, since it did not wait for this).
            }
        }) { IsBackground = true, Name = name }.Start();
        return future;
    }

    /// <summary>Waits (yielding to the loop) until <paramref name="condition"/> holds or
    /// <paramref name="seconds"/> have passed; true if it holds.</summary>
    private static async Coroutine<bool> Within(double seconds, Func<bool> condition)
    {
        var loop = Asyncio.GetRunningLoop();
        var deadline = loop.Time() + seconds;
        while (!condition())
        {
            if (loop.Time() >= deadline)
                return false;
            await Asyncio.Sleep(0.001);
        }
        return true;
    }

    /// <summary>A server whose connections' protocols are recorded in the returned list.</summary>
    private static async Coroutine<(Server Server, List<RecordingProtocol> Accepted)> Serve(
        EventLoop loop, Func<RecordingProtocol> factory, int backlog = 100)
    {
        var accepted = new List<RecordingProtocol>();
        var server = await loop.CreateServer(() =>
        {
            var protocol = factory();
            accepted.Add(protocol);
            return protocol;
        }, Host, 0, backlog: backlog);
        return (server, accepted);
    }

    /// <summary>An echo protocol that closes once the peer has sent everything.</summary>
    private static RecordingProtocol EchoProtocol(EventLoop loop) => new(loop)
    {
        OnData = (p, data) => p.Transport!.Write(data),
        OnEof = p => p.Transport!.Close(),
        KeepOpenOnEof = true,
    };

    private static int PortOf(Server server) => ((IPEndPoint)server.Sockets[0]).Port;

    private static Socket RawSocket() => new(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp)
    {
        NoDelay = true,
        ReceiveTimeout = PeerTimeoutMs,
        SendTimeout = PeerTimeoutMs,
    };

    // The byte at each offset of a stream: period 251 (a prime), so a chunk lost, repeated or
    // moved by any power-of-two size shows.
    private static byte PatternAt(long offset) => (byte)(offset % 251);

    private static void FillPattern(Span<byte> chunk, long offset)
    {
        for (var i = 0; i < chunk.Length; i++)
            chunk[i] = PatternAt(offset + i);
    }

    private static byte[] PatternChunk(long offset, int length)
    {
        var chunk = new byte[length];
        FillPattern(chunk, offset);
        return chunk;
    }

    /// <summary>The stream offset of the first byte that breaks the pattern, or -1.</summary>
    private static long FirstPatternMismatch(ReadOnlySpan<byte> bytes, long offset)
    {
        for (var i = 0; i < bytes.Length; i++)
        {
            if (bytes[i] != PatternAt(offset + i))
                return offset + i;
        }
        return -1;
    }

    /// <summary>Reads <paramref name="socket"/> to the end of the stream: the byte count and the
    /// first offset that broke the pattern (-1 for none).</summary>
    private static (long Count, long Mismatch) ReadToEnd(Socket socket)
    {
        var buffer = new byte[64 * 1024];
        long count = 0;
        long mismatch = -1;
        int received;
        while ((received = socket.Receive(buffer)) > 0)
        {
            if (mismatch < 0)
                mismatch = FirstPatternMismatch(buffer.AsSpan(0, received), count);
            count += received;
        }
        return (count, mismatch);
    }

    private static byte[] ReadLineFrom(Socket socket)
    {
        var line = new List<byte>();
        var one = new byte[1];
        while (socket.Receive(one) == 1)
        {
            line.Add(one[0]);
            if (one[0] == (byte)'\n')
                break;
        }
        return [.. line];
    }
}

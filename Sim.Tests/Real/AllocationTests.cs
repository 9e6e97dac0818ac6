using System.Net;
using Sim.Core;
using Sim.Real;

namespace Sim.Tests.Real;

/// <summary>
/// Issue 5's allocation target as a test: in the protocol steady state on the epoll backend an
/// echoed message allocates nothing on the loop thread. Both ends run on the loop over
/// 127.0.0.1, one message in flight at a time; the loop thread's allocation counter is read
/// inside the protocol callbacks at fixed message counts, so the result depends on no timing.
/// After a warm-up, windows of <see cref="WindowMessages"/> messages are measured until one
/// allocates nothing: the runtime's one-time work when it recompiles hot methods (tiered JIT, on
/// its own clock) may fall in an early window, but anything allocated per message, or even once
/// in ten thousand messages, makes every window allocate.
/// </summary>
[Trait("Category", "Unit")]
public sealed class AllocationTests
{
    private const int WarmUpMessages = 5_000;
    private const int WindowMessages = 10_000;
    private const int WindowsMax = 20;

    [Theory]
    [InlineData(64)]
    [InlineData(1_024)]
    [InlineData(16 * 1_024)]
    public void ProtocolEcho_SteadyStateOnEpoll_AllocatesNothingPerMessage(int size)
    {
        if (!OperatingSystem.IsLinux())
            return;
        var loop = RealLoop.Create(RealBackendKind.Epoll);
        try
        {
            var guard = loop.CallLater(60, loop.Stop);
            var ping = loop.RunUntilComplete(PingPong(loop, size));
            guard.Cancel();

            Assert.True(ping.Windows.Count > 0, "no window was measured");
            Assert.True(ping.Windows[^1] == 0,
                $"every window of {WindowMessages} echoed messages allocated on the loop thread (bytes per window: {string.Join(", ", ping.Windows)})");
        }
        finally
        {
            loop.Close();
        }
    }

    private static async Coroutine<Ping> PingPong(EventLoop loop, int size)
    {
        var server = await loop.CreateServer(() => new EchoProtocol(), "127.0.0.1", 0);
        var ping = new Ping(loop, new byte[size]);
        await loop.CreateConnection(() => ping, "127.0.0.1", ((IPEndPoint)server.Sockets[0]).Port);
        await ping.Done;
        server.Close();
        return ping;
    }

    private sealed class EchoProtocol : Protocol
    {
        public override void DataReceived(ReadOnlySpan<byte> data) => Transport!.Write(data);
    }

    /// <summary>Sends a message, waits for all of its echo, sends the next; reads the counter at
    /// the edges of each measured window and stops after the first window that allocated nothing.</summary>
    private sealed class Ping(EventLoop loop, byte[] message) : Protocol
    {
        private int _received;
        private int _rounds;
        private long _windowStart;

        public Future<Unit> Done { get; } = loop.CreateFuture<Unit>();

        /// <summary>Bytes allocated on the loop thread in each measured window, in order.</summary>
        public List<long> Windows { get; } = new(WindowsMax);

        public override void ConnectionMade(ITransport transport)
        {
            base.ConnectionMade(transport);
            transport.Write(message);
        }

        public override void DataReceived(ReadOnlySpan<byte> data)
        {
            _received += data.Length;
            if (_received < message.Length)
                return;
            _received = 0;
            _rounds++;
            if (_rounds >= WarmUpMessages && (_rounds - WarmUpMessages) % WindowMessages == 0)
            {
                var now = GC.GetAllocatedBytesForCurrentThread();
                if (_rounds > WarmUpMessages)
                    Windows.Add(now - _windowStart);
                if (Windows is [.., 0] || Windows.Count == WindowsMax)
                {
                    Transport!.Close();
                    Done.SetResult(Unit.Value);
                    return;
                }
                // Read again: adding to the list above must not count in the next window.
                _windowStart = GC.GetAllocatedBytesForCurrentThread();
            }
            Transport!.Write(message);
        }
    }
}

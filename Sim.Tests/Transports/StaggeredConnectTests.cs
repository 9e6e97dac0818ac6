using System.Net;
using Sim.Core;
using Sim.Tests.Infrastructure;

namespace Sim.Tests.Transports;

/// <summary>The happy-eyeballs race itself, with connect functions of the test's own.</summary>
public sealed class StaggeredConnectTests
{
    [Fact]
    public void CancelledAfterTheWinnerConnected_BeforeTheRaceResumed_ClosesTheWinner()
    {
        var loop = TestLoops.NewLoop();
        var socket = new FakeSocket();
        try
        {
            LoopTask<IStreamSocket>? race = null;
            var staggered = new StaggeredConnect(loop, [new IPEndPoint(IPAddress.Loopback, 80)], async _ =>
            {
                await Asyncio.Sleep(0.01);
                // Runs after the attempt's done callback (queued when this returns) has made the
                // socket the winner, and before the race's own step: the cancellation falls
                // between the win and the resumption.
                loop.CallSoon(() => loop.CallSoon(() => race!.Cancel()));
                return socket;
            }, delay: 0.25);
            race = loop.CreateTask(staggered.Run());
            Assert.Throws<CancelledError>(() => loop.RunUntilComplete(race));
            Assert.True(socket.Closed, "the socket that won the race outlived its cancellation");
        }
        finally
        {
            loop.Close();
        }
    }

    private sealed class FakeSocket : IStreamSocket
    {
        public bool Closed { get; private set; }

        public EndPoint LocalEndPoint { get; } = new IPEndPoint(IPAddress.Loopback, 50000);

        public EndPoint RemoteEndPoint { get; } = new IPEndPoint(IPAddress.Loopback, 80);

        public void Watch(IIoWatcher watcher, IoReadiness interest) => throw new NotSupportedException();

        public void FinishConnect() { }

        public int Receive(Span<byte> buffer) => throw new NotSupportedException();

        public int Send(ReadOnlySpan<byte> data) => throw new NotSupportedException();

        public void ShutdownSend() => throw new NotSupportedException();

        public void Close() => Closed = true;

        public void Abort() => Closed = true;
    }
}

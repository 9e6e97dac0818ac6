using System.Text;
using Sim.Core;
using Sim.Net;
using Sim.Tests.Conformance;

// Not Sim.Tests.Simulation: a namespace of that name would hide the Sim.Simulation type.
namespace Sim.Tests.Simulations;

/// <summary>Deadlock reports that know the network, and loops spinning on an endpoint nobody serves.</summary>
[Trait("Category", "Simulation")]
public sealed class NetworkDeadlockTests
{
    private static Simulation NewSimulation(long seed = 1) => new(seed, new SimulationOptions { Log = TextWriter.Null });

    private static DeadlockException RunToDeadlock(Simulation simulation, Func<EventLoop, Coroutine<int>> main)
    {
        try
        {
            return Assert.Throws<DeadlockException>(() => simulation.Loop.RunUntilComplete(simulation.Loop.CreateTask(main(simulation.Loop), "main")));
        }
        finally
        {
            simulation.Loop.Close();
        }
    }

    /// <summary>A client that sent 5 bytes to a server which paused reading, then waits for a reply that never comes.</summary>
    private static async Coroutine<int> WaitForAReplyThatNeverComes(EventLoop loop)
    {
        var server = await loop.CreateServer(() => new RecordingProtocol(loop) { OnMade = p => p.Transport!.PauseReading() }, "127.0.0.1", 7000);
        var (transport, _) = await loop.CreateConnection(() => new RecordingProtocol(loop), "127.0.0.1", 7000);
        transport.Write(Encoding.ASCII.GetBytes("hello"));
        return await loop.CreateFuture<int>();
    }

    [Fact]
    public void Deadlock_WithOpenConnections_ListsPendingTasksAndEveryEndpointWithItsState()
    {
        var error = RunToDeadlock(NewSimulation(), WaitForAReplyThatNeverComes);

        Assert.Equal(["main"], error.PendingTasks);
        Assert.NotNull(error.BackendState);
        Assert.Contains("Pending tasks: main (WaitForAReplyThatNeverComes, waiting on <Future pending>)", error.Message, StringComparison.Ordinal);
        Assert.Contains("Open network endpoints (3): ", error.BackendState, StringComparison.Ordinal);
        Assert.Contains("localhost tcp listener 127.0.0.1:7000 (0 of 100 connections waiting to be accepted, watched for Readable)", error.BackendState, StringComparison.Ordinal);
        Assert.Contains("localhost tcp 127.0.0.1:49152 -> 127.0.0.1:7000 (established, watched for Readable)", error.BackendState, StringComparison.Ordinal);
        Assert.Contains("localhost tcp 127.0.0.1:7000 -> 127.0.0.1:49152 (established, 5 bytes unread, not watched)", error.BackendState, StringComparison.Ordinal);
        Assert.EndsWith(error.BackendState, error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("Livelock", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Deadlock_WithNothingOpen_SaysNothingAboutTheNetwork()
    {
        var error = RunToDeadlock(NewSimulation(), async loop => await loop.CreateFuture<int>());
        Assert.Null(error.BackendState);
        Assert.DoesNotContain("network", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Deadlock_SameSeedTwice_SameReport()
    {
        var first = RunToDeadlock(NewSimulation(5), WaitForAReplyThatNeverComes);
        var second = RunToDeadlock(NewSimulation(5), WaitForAReplyThatNeverComes);
        Assert.Equal(first.Message, second.Message);
    }

    /// <summary>Data arrives for a reader that never reads it, and nothing else is left to happen.</summary>
    private static async Coroutine<int> ReaderThatNeverReads(EventLoop loop, Counter calls)
    {
        var network = (INetworkBackend)loop.Backend;
        var listener = network.Listen(System.Net.IPEndPoint.Parse("127.0.0.1:7100"), backlog: 4);
        var client = await loop.SockConnect(System.Net.IPEndPoint.Parse("127.0.0.1:7100"));
        IStreamSocket? server;
        while ((server = listener.TryAccept()) is null)
            await Asyncio.Sleep(0.001);
        loop.AddReader(server, () => calls.Value++);
        await loop.SockSendall(client, "x"u8.ToArray());
        return await loop.CreateFuture<int>();
    }

    private sealed class Counter
    {
        public int Value { get; set; }
    }

    [Fact]
    public void UnservedReader_NothingElseLeft_EndsInADeadlockNamingTheEndpoint_InsteadOfSpinning()
    {
        var simulation = NewSimulation();
        var calls = new Counter();
        var error = RunToDeadlock(simulation, loop => ReaderThatNeverReads(loop, calls));

        Assert.StartsWith("Deadlock", error.Message, StringComparison.Ordinal);
        Assert.Contains("Livelock at ", error.BackendState, StringComparison.Ordinal);
        Assert.Contains("localhost tcp 127.0.0.1:7100 -> 127.0.0.1:49152 (established, 1 bytes unread, watched for Readable) is ready for Readable", error.BackendState, StringComparison.Ordinal);
        Assert.Contains("its callbacks do not serve it", error.BackendState, StringComparison.Ordinal);
        Assert.Equal(["main"], error.PendingTasks);
        // Level-triggered until then: the reader ran at every poll, a bounded number of times.
        Assert.InRange(calls.Value, SimBackend.SpinningPollsMax, SimBackend.SpinningPollsMax + 2);
    }

    [Fact]
    public void UnservedReader_SameSeedTwice_EndsAtTheSameVirtualTimeWithTheSameReport()
    {
        (string Message, double Time) RunOnce()
        {
            var simulation = NewSimulation(9);
            var error = RunToDeadlock(simulation, loop => ReaderThatNeverReads(loop, new Counter()));
            return (error.Message, simulation.Loop.Time());
        }

        Assert.Equal(RunOnce(), RunOnce());
    }

    [Fact]
    public void UnservedReader_WithATimerPending_VirtualTimeStillReachesTheTimer()
    {
        var simulation = NewSimulation();
        var calls = new Counter();
        async Coroutine<double> Main(EventLoop loop)
        {
            var network = (INetworkBackend)loop.Backend;
            var listener = network.Listen(System.Net.IPEndPoint.Parse("127.0.0.1:7200"), backlog: 4);
            var client = await loop.SockConnect(System.Net.IPEndPoint.Parse("127.0.0.1:7200"));
            IStreamSocket? server;
            while ((server = listener.TryAccept()) is null)
                await Asyncio.Sleep(0.001);
            loop.AddReader(server, () => calls.Value++);
            await loop.SockSendall(client, "x"u8.ToArray());
            var start = loop.Time();
            await Asyncio.Sleep(5);
            loop.RemoveReader(server);
            client.Close();
            server.Close();
            listener.Close();
            return loop.Time() - start;
        }

        var elapsed = simulation.RunUntilComplete(Main(simulation.Loop));
        simulation.Loop.Close();
        Assert.Equal(5, elapsed, 6);
        Assert.True(calls.Value > 3, $"the reader ran {calls.Value} times while time passed");
    }
}

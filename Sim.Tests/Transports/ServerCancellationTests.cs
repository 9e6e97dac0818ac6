using System.Net.Sockets;
using Sim.Core;
using Sim.Tests.Conformance;
using Sim.Tests.Infrastructure;

namespace Sim.Tests.Transports;

/// <summary>
/// CreateServer and CreateUnixServer cancelled at each of their awaits, on the simulated network:
/// a caller that never gets the server leaves nothing listening (asyncio leaves it serving).
/// </summary>
public sealed class ServerCancellationTests
{
    // More iterations than either method awaits: the last cancellations find them done.
    private const int IterationsMax = 6;

    public static TheoryData<int> Iterations() => [.. Enumerable.Range(0, IterationsMax)];

    [Theory]
    [MemberData(nameof(Iterations))]
    public void CreateServer_CancelledAfterIterations_LeavesThePortFree(int iterations)
    {
        var simulation = TestLoops.NewSimulation();
        var loop = simulation.Loop;
        try
        {
            loop.RunUntilComplete(Body());
        }
        finally
        {
            loop.Close();
        }

        async Coroutine Body()
        {
            var creating = loop.CreateTask(loop.CreateServer(() => new RecordingProtocol(loop), "127.0.0.1", 8080));
            await CancelAfter(creating, iterations);
            // A server left listening would hold the port.
            var again = await loop.CreateServer(() => new RecordingProtocol(loop), "127.0.0.1", 8080);
            again.Close();
            await again.WaitClosed();
        }
    }

    [Theory]
    [MemberData(nameof(Iterations))]
    public void CreateUnixServer_CancelledAfterIterations_LeavesNoSocketFile(int iterations)
    {
        var simulation = TestLoops.NewSimulation();
        var loop = simulation.Loop;
        const string path = "/run/cancelled.sock";
        try
        {
            loop.RunUntilComplete(Body());
        }
        finally
        {
            loop.Close();
        }
        Assert.False(simulation.Network.DefaultHost.PathExists(path), "a cancelled CreateUnixServer left its server listening");

        async Coroutine Body()
        {
            var creating = loop.CreateTask(loop.CreateUnixServer(() => new RecordingProtocol(loop), path));
            await CancelAfter(creating, iterations);
            await Asyncio.Sleep(0);
        }
    }

    /// <summary>Cancels <paramref name="creating"/> after that many loop iterations; a server it
    /// returned first is closed (the caller owned it).</summary>
    private static async Coroutine CancelAfter(LoopTask<Server> creating, int iterations)
    {
        for (var i = 0; i < iterations; i++)
            await Asyncio.Sleep(0);
        creating.Cancel();
        try
        {
            var server = await creating;
            server.Close();
            await server.WaitClosed();
        }
        catch (CancelledError)
        {
        }
    }
}

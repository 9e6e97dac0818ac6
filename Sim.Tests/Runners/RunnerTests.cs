using Sim.Core;
using Sim.Net;
using Sim.Real;

namespace Sim.Tests.Runners;

[Trait("Category", "Unit")]
public sealed class RunnerTests
{
    private static Func<EventLoop> SimulatedLoops(StringWriter? log = null) =>
        () => new Simulation(1, new SimulationOptions { Log = log ?? TextWriter.Null }).Loop;

    [Fact]
    public void Run_Main_ReturnsItsResultAndClosesTheLoop()
    {
        EventLoop? seen = null;
        async Coroutine<int> Main()
        {
            seen = Asyncio.GetRunningLoop();
            await Asyncio.Sleep(5);
            return 42;
        }
        Assert.Equal(42, Asyncio.Run(SimulatedLoops(), Main()));
        Assert.True(seen!.IsClosed);
    }

    [Fact]
    public void Run_TasksLeftPending_AreCancelledAndTheirFinallyBlocksRun()
    {
        var log = new List<string>();
        async Coroutine Forever(string name)
        {
            try
            {
                await Asyncio.Sleep(3600);
            }
            finally
            {
                log.Add($"{name} cleaned up");
            }
        }
        async Coroutine<string> Main()
        {
            var loop = Asyncio.GetRunningLoop();
            _ = loop.CreateTask(Forever("a"));
            _ = loop.CreateTask(Forever("b"));
            await Asyncio.Sleep(0);
            return "main done";
        }
        Assert.Equal("main done", Asyncio.Run(SimulatedLoops(), Main()));
        Assert.Equal(["a cleaned up", "b cleaned up"], log);
    }

    [Fact]
    public void Run_LeftoverTaskFailsWhileCancelled_IsReportedToTheExceptionHandler()
    {
        var reports = new List<string>();
        async Coroutine Stubborn()
        {
            try
            {
                await Asyncio.Sleep(3600);
            }
            catch (CancelledError)
            {
                throw new InvalidDataException("failed while cancelled");
            }
        }
        async Coroutine<int> Main()
        {
            var loop = Asyncio.GetRunningLoop();
            loop.SetExceptionHandler((_, context) => reports.Add($"{context.Message}: {context.Exception?.Message}"));
            _ = loop.CreateTask(Stubborn());
            await Asyncio.Sleep(0);
            return 1;
        }
        Asyncio.Run(SimulatedLoops(), Main());
        Assert.Equal(["unhandled exception during asyncio.run() shutdown: failed while cancelled"], reports);
    }

    [Fact]
    public void Run_FromInsideARunningLoop_Throws()
    {
        async Coroutine<string> Main()
        {
            var error = Assert.Throws<InvalidOperationException>(() => Asyncio.Run(SimulatedLoops(), Inner()));
            return error.Message;
        }
        static async Coroutine<int> Inner()
        {
            await Asyncio.Sleep(0);
            return 0;
        }
        Assert.Contains("cannot be called from a running event loop", Asyncio.Run(SimulatedLoops(), Main()), StringComparison.Ordinal);
    }

    [Fact]
    public void Runner_TwoRuns_ShareOneLoopUntilClosed()
    {
        using var runner = new Runner(SimulatedLoops());
        static async Coroutine<double> Now(double sleep)
        {
            await Asyncio.Sleep(sleep);
            return Asyncio.GetRunningLoop().Time();
        }
        Assert.Equal(2, runner.Run(Now(2)));
        Assert.Equal(5, runner.Run(Now(3)));
        var loop = runner.GetLoop();
        runner.Close();
        runner.Close();
        Assert.True(loop.IsClosed);
        Assert.Throws<ObjectDisposedException>(() => runner.GetLoop());
    }

    [Fact]
    public void Run_OnTheRealLoop_Works()
    {
        static async Coroutine<string> Main()
        {
            await Asyncio.Sleep(0.001);
            return "real";
        }
        Assert.Equal("real", Asyncio.Run(() => RealLoop.Create(), Main()));
    }

    [Fact]
    public void ShutdownAsyncGens_OpenIterators_AreDisposedOldestFirst()
    {
        var log = new List<string>();
        async IAsyncEnumerable<int> Numbers(string name)
        {
            try
            {
                for (var i = 0; ; i++)
                {
                    await Asyncio.Sleep(1);
                    yield return i;
                }
            }
            finally
            {
                log.Add($"{name} finalised");
            }
        }
        async Coroutine<int> Main()
        {
            var loop = Asyncio.GetRunningLoop();
            var first = loop.TrackAsyncIterator(Numbers("first")).GetAsyncEnumerator();
            var second = loop.TrackAsyncIterator(Numbers("second")).GetAsyncEnumerator();
            await loop.WrapTask(second.MoveNextAsync().AsTask());
            await loop.WrapTask(first.MoveNextAsync().AsTask());
            var closed = loop.TrackAsyncIterator(Numbers("closed")).GetAsyncEnumerator();
            await loop.WrapTask(closed.MoveNextAsync().AsTask());
            await loop.WrapTask(closed.DisposeAsync().AsTask());
            return first.Current + second.Current;
        }
        Assert.Equal(0, Asyncio.Run(SimulatedLoops(), Main()));
        Assert.Equal(["closed finalised", "second finalised", "first finalised"], log);
    }
}

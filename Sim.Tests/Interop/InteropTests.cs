using System.Diagnostics;
using Sim.Core;
using Sim.Tests.Infrastructure;

namespace Sim.Tests.Interop;

/// <summary>
/// .NET async code on the loop: <see cref="TimeProvider"/> consumers follow loop time (virtual
/// time included, without costing wall time), futures and tasks convert both ways, and plain
/// <c>await</c>s continue on the loop's thread through its synchronization context.
/// </summary>
[Trait("Category", "Unit")]
public sealed class InteropTests
{
    // Virtual time must cost no wall time; this bound only catches a run that waited in real time.
    private static readonly TimeSpan s_wallTimeMax = TimeSpan.FromSeconds(5);

    [Fact]
    public void TaskDelay_WithLoopTimeProviderInsideCoroutine_FollowsVirtualTime()
    {
        var loop = TestLoops.NewLoop();
        async Coroutine<(double Before, double After, int Thread)> Main()
        {
            var before = loop.Time();
            await Task.Delay(TimeSpan.FromSeconds(10), loop.TimeProvider);
            return (before, loop.Time(), Environment.CurrentManagedThreadId);
        }

        var stopwatch = Stopwatch.StartNew();
        var (before, after, thread) = loop.RunUntilComplete(Main());
        Assert.Equal(0.0, before);
        Assert.Equal(10.0, after);
        Assert.Equal(Environment.CurrentManagedThreadId, thread);
        Assert.True(stopwatch.Elapsed < s_wallTimeMax, $"10 s of virtual time took {stopwatch.Elapsed} of wall time");
    }

    [Fact]
    public void PeriodicTimer_WithLoopTimeProvider_TicksAtVirtualIntervals()
    {
        var loop = TestLoops.NewLoop();
        async Coroutine<List<double>> Main()
        {
            var ticks = new List<double>();
            using var timer = new PeriodicTimer(TimeSpan.FromSeconds(2), loop.TimeProvider);
            while (ticks.Count < 4 && await timer.WaitForNextTickAsync())
                ticks.Add(loop.Time());
            return ticks;
        }

        var stopwatch = Stopwatch.StartNew();
        Assert.Equal([2.0, 4.0, 6.0, 8.0], loop.RunUntilComplete(Main()));
        Assert.True(stopwatch.Elapsed < s_wallTimeMax, $"8 s of virtual time took {stopwatch.Elapsed} of wall time");
    }

    [Fact]
    public void CancellationTokenSource_WithDelayOnLoopTimeProvider_CancelsAtVirtualTime()
    {
        var loop = TestLoops.NewLoop();
        async Coroutine<double?> Main()
        {
            using var source = new CancellationTokenSource(TimeSpan.FromSeconds(5), loop.TimeProvider);
            double? cancelledAt = null;
            using var registration = source.Token.Register(() => cancelledAt = loop.Time());
            await Asyncio.Sleep(4.999);
            Assert.False(source.IsCancellationRequested);
            await Asyncio.Sleep(10);
            return cancelledAt;
        }

        Assert.Equal(5.0, loop.RunUntilComplete(Main()));
    }

    [Fact]
    public void TimeProvider_OfSimulatedLoop_ReportsLoopTime()
    {
        var loop = TestLoops.NewLoop();
        var provider = loop.TimeProvider;
        var start = provider.GetTimestamp();
        var startUtc = provider.GetUtcNow();
        async Coroutine Main() => await Asyncio.Sleep(90);
        loop.RunUntilComplete(Main());

        Assert.Equal(TimeSpan.FromSeconds(90), provider.GetElapsedTime(start));
        Assert.Equal(startUtc + TimeSpan.FromSeconds(90), provider.GetUtcNow());
        Assert.Equal(new DateTimeOffset(2000, 1, 1, 0, 1, 30, TimeSpan.Zero), provider.GetUtcNow());
    }

    [Fact]
    public async Task AsTask_FutureFinishes_TaskCompletesTheSameWay()
    {
        var loop = TestLoops.NewLoop();
        var withResult = loop.CreateFuture<int>();
        var withError = loop.CreateFuture<int>();
        var cancelled = loop.CreateFuture<int>();
        var resultTask = withResult.AsTask();
        var errorTask = withError.AsTask();
        var cancelledTask = cancelled.AsTask();
        var error = new InvalidProgramException("boom");
        async Coroutine Main()
        {
            withResult.SetResult(42);
            withError.SetException(error);
            cancelled.Cancel();
            // The conversion goes through done-callbacks, which run in a later iteration.
            Assert.False(resultTask.IsCompleted);
            await Asyncio.Sleep(0);
        }
        loop.RunUntilComplete(Main());

        Assert.Equal(TaskStatus.RanToCompletion, resultTask.Status);
        Assert.Equal(42, await resultTask);
        Assert.Equal(TaskStatus.Faulted, errorTask.Status);
        Assert.Same(error, errorTask.Exception!.InnerException);
        Assert.Equal(TaskStatus.Canceled, cancelledTask.Status);
    }

    [Fact]
    public void RunUntilComplete_PlainAsyncTaskAwaitingFutureAndSleep_ReturnsItsResultOnLoopTime()
    {
        var loop = TestLoops.NewLoop();
        var started = loop.CreateFuture<int>();
        loop.CallLater(1, () => started.SetResult(20));
        async Task<int> PlainAsync()
        {
            // Called before the loop runs: the first await must be one that needs no running loop.
            var first = await started;
            await Asyncio.Sleep(5);
            var second = loop.CreateFuture<int>();
            loop.CallLater(2, () => second.SetResult(22));
            return first + await second;
        }

        var stopwatch = Stopwatch.StartNew();
        Assert.Equal(42, loop.RunUntilComplete(PlainAsync()));
        Assert.Equal(8.0, loop.Time());
        Assert.True(stopwatch.Elapsed < s_wallTimeMax, $"8 s of virtual time took {stopwatch.Elapsed} of wall time");
    }

    [Fact]
    public void RunUntilComplete_PlainAsyncTaskThatThrows_RethrowsTheException()
    {
        var loop = TestLoops.NewLoop();
        var started = loop.CreateFuture<int>();
        loop.CallSoon(() => started.SetResult(1));
        async Task PlainAsync()
        {
            await started;
            throw new InvalidDataException("plain failure");
        }

        Assert.Equal("plain failure", Assert.Throws<InvalidDataException>(() => loop.RunUntilComplete(PlainAsync())).Message);
    }

    [Fact]
    public void RunUntilComplete_PlainAsyncTaskAwaitingACoroutineBeforeTheLoopRuns_FailsWithAClearError()
    {
        // A .NET async method runs eagerly: called before the loop runs, its first await of a
        // coroutine finds no running loop. It must fail at that await (the Task faults), not
        // throw inside the .NET builder, which would rethrow on the thread pool and end the process.
        var loop = TestLoops.NewLoop();
        async Task<int> PlainAsync()
        {
            await Asyncio.Sleep(1);
            return 5;
        }

        var task = PlainAsync();
        Assert.True(task.IsFaulted);
        var error = Assert.Throws<InvalidOperationException>(() => loop.RunUntilComplete(task));
        Assert.Equal("Coroutine 'Sleep' was awaited outside a running event loop; run it with loop.RunUntilComplete or loop.CreateTask.", error.Message);
    }

    [Fact]
    public void PlainAsyncTask_AwaitingYieldWithNoLoopRunning_FaultsWithAClearError()
    {
        async Task PlainAsync() => await Asyncio.Yield();

        var task = PlainAsync();
        Assert.True(task.IsFaulted);
        Assert.StartsWith("Asyncio.Yield() was awaited outside a running event loop", task.Exception!.InnerException!.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void SynchronizationContext_WhileRunning_IsTheLoopsAndTaskYieldContinuesOnTheLoop()
    {
        var loop = TestLoops.NewLoop();
        var outside = SynchronizationContext.Current;
        var loopThread = Environment.CurrentManagedThreadId;
        SynchronizationContext? inCallback = null;
        var steps = new List<string>();
        async Task PlainAsync()
        {
            steps.Add($"before yield: running loop {Asyncio.GetRunningLoop() == loop}");
            await Task.Yield();
            steps.Add($"after yield: running loop {Asyncio.GetRunningLoop() == loop}, same thread {Environment.CurrentManagedThreadId == loopThread}");
            await Task.Yield();
            steps.Add($"second yield: same context {SynchronizationContext.Current == inCallback}");
        }
        async Coroutine Main()
        {
            inCallback = SynchronizationContext.Current;
            await PlainAsync();
        }
        loop.RunUntilComplete(Main());

        Assert.NotNull(inCallback);
        Assert.NotSame(outside, inCallback);
        Assert.Equal(
            [
                "before yield: running loop True",
                "after yield: running loop True, same thread True",
                "second yield: same context True",
            ],
            steps);
        Assert.Same(outside, SynchronizationContext.Current);
    }

    [Fact]
    public void SynchronizationContext_PostFromAnotherThread_RunsOnTheLoop()
    {
        var loop = TestLoops.NewLoop();
        var loopThread = Environment.CurrentManagedThreadId;
        var done = loop.CreateFuture<int>();
        loop.CallSoon(() =>
        {
            var context = SynchronizationContext.Current!;
            var thread = new Thread(() => context.Post(_ => done.SetResult(Environment.CurrentManagedThreadId), null));
            thread.Start();
            Assert.True(thread.Join(TimeSpan.FromSeconds(10)));
        });

        Assert.Equal(loopThread, loop.RunUntilComplete(done));
    }

    [Fact]
    public void ForeignAwait_OfWorkOnAnotherThreadWithNoTimerLeft_IsAwaitedNotReportedAsDeadlock()
    {
        var loop = TestLoops.NewLoop();
        var loopThread = Environment.CurrentManagedThreadId;
        async Coroutine<int> Main()
        {
            var result = await Task.Run(async () =>
            {
                await Task.Delay(50);
                return 5;
            });
            // The coroutine resumes on the loop's thread, not on the one that finished the work.
            return result + (Environment.CurrentManagedThreadId == loopThread ? 0 : 1000);
        }

        Assert.Equal(5, loop.RunUntilComplete(Main()));
        Assert.Equal(0.0, loop.Time());
    }

    [Fact]
    public void ForeignAwait_OfALoopFutureWhileTheNetworkHasDeliveriesToCome_LetsVirtualTimeMove()
    {
        // `await using` of a server awaits WaitClosed through a .NET task: a foreign await. With no
        // timer left but the client's FIN in flight, the loop must not wait for it in real time
        // (which took SimulationOptions.OutsideWorkWaitMax, 30 s, per use).
        var simulation = TestLoops.NewSimulation();
        var loop = simulation.Loop;
        simulation.AddHost("server", "10.0.0.2");
        bool? waitedAsOutsideWork = null;
        async Coroutine Main()
        {
            var server = await Asyncio.StartServer(async (reader, writer) =>
            {
                await reader.Read(10);
                writer.Close();
            }, "10.0.0.2", 9000);
            var (_, writer) = await Asyncio.OpenConnection("10.0.0.2", 9000);
            writer.Close();
            loop.CallSoon(() =>
            {
                Assert.True(loop.ForeignAwaitsInFlight > 0, "the server's disposal is not a foreign await any more: this test checks nothing");
                waitedAsOutsideWork = loop.OutsideWorkInFlight;
            });
            await server.DisposeAsync();
        }
        var wall = Stopwatch.StartNew();
        loop.RunUntilComplete(Main());
        Assert.False(waitedAsOutsideWork);
        Assert.True(wall.Elapsed < s_wallTimeMax, $"the run waited {wall.Elapsed} of wall time");
    }

    [Fact]
    public void RunInExecutor_RealThreadJobOnSimulatedLoop_HoldsVirtualTimeUntilItFinishes()
    {
        var loop = TestLoops.NewLoop();
        loop.SetDefaultExecutor(new Sim.Real.Execution.ThreadPoolExecutor());
        async Coroutine<(double JobDoneAt, double SleeperDoneAt)> Main()
        {
            var sleeper = loop.CreateTask(Asyncio.Sleep(1));
            await loop.RunInExecutor(() => Thread.Sleep(100));
            var jobDoneAt = loop.Time();
            await sleeper;
            return (jobDoneAt, loop.Time());
        }

        Assert.Equal((0.0, 1.0), loop.RunUntilComplete(Main()));
    }
}

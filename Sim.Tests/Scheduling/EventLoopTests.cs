using Sim.Core;
using Sim.Tests.Infrastructure;

namespace Sim.Tests.Scheduling;

/// <summary>
/// The loop's rules beyond ordering: debug-mode reports, the exception handler, Stop, the timer
/// heap's pruning, the ready queue's growth, the task registry and the task factory.
/// </summary>
[Trait("Category", "Unit")]
public sealed class EventLoopTests
{
    // ---- debug mode ----------------------------------------------------------------------

    [Fact]
    public void SlowCallback_InDebugMode_IsReportedInTheLogWithItsDuration()
    {
        var clock = new ManualClock();
        var log = new StringWriter();
        var loop = new EventLoop(clock, new RecordingBackend(), new EventLoopOptions { Debug = true, Log = log });
        loop.CallSoon(SlowCallback);
        loop.CallSoon(() => clock.NowNs += 1_000_000);
        loop.Stop();
        loop.RunForever();
        void SlowCallback() => clock.NowNs += 250_000_000;

        var lines = log.ToString().Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries);
        var line = Assert.Single(lines);
        Assert.StartsWith("Executing EventLoopTests.", line, StringComparison.Ordinal);
        Assert.EndsWith(" took 0.250 seconds", line, StringComparison.Ordinal);
    }

    [Fact]
    public void SlowCallback_OnSimulatedClockInDebugMode_IsReportedFromTheThreshold()
    {
        var log = new StringWriter();
        var simulation = TestLoops.NewSimulation(log: log, debug: true);
        var loop = simulation.Loop;
        loop.SlowCallbackDuration = 0.5;
        loop.CallSoon(() => simulation.Clock.Advance(499_999_999));
        loop.CallSoon(() => simulation.Clock.Advance(500_000_000));
        loop.CallSoon(loop.Stop);
        loop.RunForever();

        var line = Assert.Single(log.ToString().Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries));
        Assert.EndsWith(" took 0.500 seconds", line, StringComparison.Ordinal);
    }

    [Fact]
    public void SlowCallback_OutsideDebugMode_IsNotReported()
    {
        var clock = new ManualClock();
        var log = new StringWriter();
        var loop = new EventLoop(clock, new RecordingBackend(), new EventLoopOptions { Log = log });
        loop.CallSoon(() => clock.NowNs += 5_000_000_000);
        loop.Stop();
        loop.RunForever();
        Assert.Equal("", log.ToString());
    }

    [Fact]
    public void CallSoon_FromAnotherThreadInDebugMode_ThrowsPointingToCallSoonThreadsafe()
    {
        var loop = TestLoops.NewLoop(debug: true);
        Exception? callSoonError = null;
        Exception? callLaterError = null;
        Exception? threadsafeError = null;
        var ranFromThreadsafe = false;
        loop.CallSoon(() =>
        {
            // The loop thread waits while another thread touches the running loop.
            var thread = new Thread(() =>
            {
                callSoonError = Record.Exception(() => loop.CallSoon(() => Assert.Fail("scheduled from the wrong thread")));
                callLaterError = Record.Exception(() => loop.CallLater(0, () => Assert.Fail("scheduled from the wrong thread")));
                threadsafeError = Record.Exception(() => loop.CallSoonThreadsafe(() => ranFromThreadsafe = true));
            });
            thread.Start();
            Assert.True(thread.Join(TimeSpan.FromSeconds(10)));
            loop.CallSoon(loop.Stop);
        });
        loop.RunForever();

        var error = Assert.IsType<InvalidOperationException>(callSoonError);
        Assert.Contains("use CallSoonThreadsafe from other threads", error.Message, StringComparison.Ordinal);
        Assert.IsType<InvalidOperationException>(callLaterError);
        Assert.Null(threadsafeError);
        Assert.True(ranFromThreadsafe);
    }

    [Fact]
    public void CoroutineNeverAwaited_InDebugMode_IsReportedAtClose()
    {
        var loop = TestLoops.NewLoop(debug: true);
        var contexts = new List<ExceptionContext>();
        loop.SetExceptionHandler((_, context) => contexts.Add(context));
        static async Coroutine Forgotten() => await Asyncio.Sleep(1);
        static async Coroutine Awaited() => await Asyncio.Sleep(1);
        async Coroutine Main()
        {
            _ = Forgotten();
            await Awaited();
            _ = loop.CreateTask(Awaited());
        }
        loop.RunUntilComplete(Main());
        Assert.Empty(contexts);

        loop.Close();
        var context = Assert.Single(contexts);
        Assert.Equal("coroutine 'Forgotten' was never awaited", context.Message);
    }

    [Fact]
    public void CoroutineNeverAwaited_OutsideDebugMode_IsNotReported()
    {
        var loop = TestLoops.NewLoop();
        var contexts = new List<ExceptionContext>();
        loop.SetExceptionHandler((_, context) => contexts.Add(context));
        static async Coroutine Forgotten() => await Asyncio.Sleep(1);
        async Coroutine Main()
        {
            _ = Forgotten();
            await Asyncio.Sleep(0);
        }
        loop.RunUntilComplete(Main());
        loop.Close();
        Assert.Empty(contexts);
    }

    // ---- the exception handler -----------------------------------------------------------

    private static void Throwing() => throw new FormatException("bad callback");

    [Fact]
    public void ExceptionHandler_CallbackRaises_GetsContextAndLoopCarriesOn()
    {
        var loop = TestLoops.NewLoop();
        var contexts = new List<(EventLoop Loop, ExceptionContext Context)>();
        var after = new List<string>();
        loop.SetExceptionHandler((l, context) => contexts.Add((l, context)));
        loop.CallSoon(Throwing);
        loop.CallSoon(() => after.Add("same iteration"));
        var timer = loop.CallLater(1, Throwing);
        loop.CallLater(2, () => after.Add("later timer"));
        loop.CallLater(3, loop.Stop);
        loop.RunForever();

        Assert.Equal(["same iteration", "later timer"], after);
        Assert.Equal(2, contexts.Count);
        var (handlerLoop, first) = contexts[0];
        Assert.Same(loop, handlerLoop);
        Assert.Equal("bad callback", Assert.IsType<FormatException>(first.Exception).Message);
        Assert.Equal("EventLoopTests.Throwing", first.CallbackName);
        Assert.Equal("Exception in callback EventLoopTests.Throwing", first.Message);
        Assert.Null(first.TimerHandle);
        var second = contexts[1].Context;
        Assert.IsType<FormatException>(second.Exception);
        Assert.Equal(timer, second.TimerHandle);
        Assert.Equal("EventLoopTests.Throwing", second.CallbackName);
    }

    [Fact]
    public void ExceptionHandler_ItselfRaises_DefaultHandlerLogsBothAndLoopCarriesOn()
    {
        var log = new StringWriter();
        var loop = TestLoops.NewLoop(log);
        var ranAfter = false;
        loop.SetExceptionHandler((_, _) => throw new InvalidDataException("handler broke"));
        loop.CallSoon(Throwing);
        loop.CallSoon(() => ranAfter = true);
        loop.CallSoon(loop.Stop);
        loop.RunForever();

        Assert.True(ranAfter);
        var text = log.ToString();
        Assert.Contains("Unhandled error in exception handler", text, StringComparison.Ordinal);
        Assert.Contains("context: Exception in callback EventLoopTests.Throwing", text, StringComparison.Ordinal);
        Assert.Contains("handler broke", text, StringComparison.Ordinal);
    }

    [Fact]
    public void DefaultExceptionHandler_CallbackRaises_WritesMessageCallbackAndExceptionToTheLog()
    {
        var log = new StringWriter();
        var loop = TestLoops.NewLoop(log);
        Assert.Null(loop.GetExceptionHandler());
        loop.CallSoon(Throwing);
        loop.CallSoon(loop.Stop);
        loop.RunForever();

        var text = log.ToString();
        Assert.StartsWith("Exception in callback EventLoopTests.Throwing", text, StringComparison.Ordinal);
        Assert.Contains("callback: EventLoopTests.Throwing", text, StringComparison.Ordinal);
        Assert.Contains("System.FormatException: bad callback", text, StringComparison.Ordinal);
    }

    [Fact]
    public void SetExceptionHandler_Null_RestoresTheDefault()
    {
        var log = new StringWriter();
        var loop = TestLoops.NewLoop(log);
        var handled = 0;
        loop.SetExceptionHandler((_, _) => handled++);
        Assert.NotNull(loop.GetExceptionHandler());
        loop.SetExceptionHandler(null);
        loop.CallSoon(Throwing);
        loop.CallSoon(loop.Stop);
        loop.RunForever();
        Assert.Equal(0, handled);
        Assert.Contains("bad callback", log.ToString(), StringComparison.Ordinal);
    }

    // ---- Stop ----------------------------------------------------------------------------

    [Fact]
    public void Stop_BeforeRunForever_RunsExactlyOneIterationWithoutWaiting()
    {
        var backend = new RecordingBackend();
        var loop = new EventLoop(new ManualClock(), backend);
        var ran = new List<string>();
        loop.CallSoon(() =>
        {
            ran.Add("first");
            loop.CallSoon(() => ran.Add("second"));
        });
        loop.CallLater(10, () => ran.Add("timer"));
        loop.Stop();
        loop.RunForever();

        Assert.Equal(["first"], ran);
        Assert.Equal([0L], backend.Polls);
        Assert.False(loop.IsRunning);

        // The stop request was consumed: the next run with a Stop in front again runs one iteration.
        loop.Stop();
        loop.RunForever();
        Assert.Equal(["first", "second"], ran);
        Assert.Equal([0L, 0L], backend.Polls);
    }

    [Fact]
    public void Stop_BeforeRunForeverWithOnlyAFutureTimer_PollsWithZeroTimeoutAndRunsNothing()
    {
        var backend = new RecordingBackend();
        var loop = new EventLoop(new ManualClock(), backend);
        var ran = false;
        loop.CallLater(10, () => ran = true);
        loop.Stop();
        loop.RunForever();

        Assert.Equal([0L], backend.Polls);
        Assert.False(ran);
        Assert.Equal(0, loop.TimeNs());
    }

    [Fact]
    public void Stop_DuringRun_FinishesTheCurrentBatch()
    {
        var loop = TestLoops.NewLoop();
        var ran = new List<string>();
        loop.CallSoon(() =>
        {
            ran.Add("a");
            loop.Stop();
            loop.CallSoon(() => ran.Add("next iteration"));
        });
        loop.CallSoon(() => ran.Add("b"));
        loop.RunForever();
        Assert.Equal(["a", "b"], ran);
    }

    // ---- the timer heap ------------------------------------------------------------------

    [Theory]
    [InlineData(150, 76, true)]
    [InlineData(150, 75, false)]
    [InlineData(101, 51, true)]
    [InlineData(101, 50, false)]
    [InlineData(100, 99, false)]
    public void RunOnce_MoreThanHalfOfOverHundredTimersCancelled_PrunesTheHeap(int count, int cancelledCount, bool prunes)
    {
        var loop = TestLoops.NewLoop();
        var ran = new List<int>();
        // The earliest timer stays live, so without pruning nothing is dropped from the top of
        // the heap; the others have scrambled deadlines with ties.
        var timers = Enumerable.Range(0, count)
            .Select(i => loop.CallLater(i == 0 ? 1 : 2 + (i * 37 % 23), () => ran.Add(i)))
            .ToList();
        var cancelled = Enumerable.Range(1, count - 1).OrderBy(i => i * 7919 % count).Take(cancelledCount).ToHashSet();
        foreach (var i in cancelled)
            timers[i].Cancel();

        loop.Stop();
        loop.RunForever();

        Assert.Empty(ran);
        Assert.Contains($"timers={(prunes ? count - cancelledCount : count)}", loop.ToString(), StringComparison.Ordinal);
        // Pruned or not, the live timers then run in (deadline, sequence) order.
        loop.CallLater(100, loop.Stop);
        loop.RunForever();
        var expected = Enumerable.Range(0, count).Where(i => !cancelled.Contains(i)).OrderBy(i => i == 0 ? 1 : 2 + (i * 37 % 23)).ThenBy(i => i);
        Assert.Equal(expected, ran);
    }

    // ---- the ready queue -----------------------------------------------------------------

    [Fact]
    public void CallSoon_BeyondTheReadyQueuesInitialCapacityAfterWrapping_GrowsAndStaysFifo()
    {
        // 256 slots to start with: 200 callbacks run first so that the ring's head has moved and
        // growing must unwrap it, then 1000 are queued at once.
        var loop = TestLoops.NewLoop();
        var order = new List<int>();
        var handles = new List<Handle>();
        for (var i = 0; i < 200; i++)
            loop.CallSoon(() => { });
        loop.Stop();
        loop.RunForever();

        for (var i = 0; i < 1000; i++)
            handles.Add(loop.CallSoon(order.Add, i));
        handles[300].Cancel();
        handles[999].Cancel();
        Assert.True(handles[300].Cancelled);
        Assert.False(handles[299].Cancelled);
        Assert.False(handles[301].Cancelled);
        Assert.Contains("ready=1000", loop.ToString(), StringComparison.Ordinal);
        loop.Stop();
        loop.RunForever();

        Assert.Equal(Enumerable.Range(0, 999).Where(i => i != 300), order);
        Assert.Contains("ready=0", loop.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void CallSoon_ThousandFromOneCallback_RunInFifoOrderInTheNextIteration()
    {
        var loop = TestLoops.NewLoop();
        var order = new List<int>();
        loop.CallSoon(() =>
        {
            for (var i = 0; i < 1000; i++)
            {
                var n = i;
                loop.CallSoon(() => order.Add(n));
            }
            loop.CallSoon(loop.Stop);
            Assert.Empty(order);
        });
        loop.RunForever();
        Assert.Equal(Enumerable.Range(0, 1000), order);
    }

    // ---- tasks ---------------------------------------------------------------------------

    [Fact]
    public void CurrentTaskAndAllTasks_DuringAndBetweenSteps_NameTheRightTasks()
    {
        var loop = TestLoops.NewLoop();
        var observations = new List<string>();
        string Names(IEnumerable<ILoopTask> tasks) => string.Join(",", tasks.Select(t => t.Name));
        async Coroutine<int> Worker(int delay)
        {
            observations.Add($"{loop.CurrentTask?.Name} sees {Names(loop.AllTasks())}");
            await Asyncio.Sleep(delay);
            return delay;
        }
        async Coroutine<int> Main()
        {
            Assert.Same(loop.CurrentTask, Asyncio.CurrentTask());
            var first = loop.CreateTask(Worker(1), "w1");
            var second = loop.CreateTask(Worker(2), "w2");
            observations.Add($"{loop.CurrentTask?.Name} sees {Names(Asyncio.AllTasks())}");
            loop.CallSoon(() => observations.Add($"between steps: {loop.CurrentTask?.Name ?? "none"}"));
            var sum = await first;
            observations.Add($"{loop.CurrentTask?.Name} sees {Names(loop.AllTasks())}");
            return sum + await second;
        }
        var main = loop.CreateTask(Main(), "main");
        Assert.Null(loop.CurrentTask);
        Assert.Equal(3, loop.RunUntilComplete(main));

        Assert.Equal(
            [
                "main sees main,w1,w2",
                "w1 sees main,w1,w2",
                "w2 sees main,w1,w2",
                "between steps: none",
                "main sees main,w2",
            ],
            observations);
        Assert.Null(loop.CurrentTask);
        Assert.Empty(loop.AllTasks());
    }

    [Fact]
    public void AllTasks_WhenManyTasksEndOutOfOrder_ListsThePendingOnesInCreationOrder()
    {
        // Enough tasks, ending in an order unrelated to their creation, and new ones created
        // meanwhile, for the registry to fill its slots and squeeze out the freed ones.
        var loop = TestLoops.NewLoop();
        const int Count = 200;
        var gates = Enumerable.Range(0, Count).Select(_ => loop.CreateFuture<int>()).ToArray();
        static async Coroutine<int> Wait(Future<int> gate) => await gate;
        var snapshots = new List<string>();
        async Coroutine Main()
        {
            for (var i = 0; i < Count; i++)
                _ = loop.CreateTask(Wait(gates[i]), $"t{i}");
            await Asyncio.Sleep(0);
            // End every task whose index is not a multiple of 7, the odd ones from the back first.
            var ending = Enumerable.Range(0, Count).Where(i => i % 7 != 0).OrderBy(i => i % 2 == 0 ? i : -i).ToList();
            for (var k = 0; k < ending.Count; k++)
            {
                gates[ending[k]].SetResult(k);
                await Asyncio.Sleep(0);
                // Creating tasks while others end exercises slot reuse after the squeeze.
                if (k % 3 == 0)
                    _ = loop.CreateTask(Wait(loop.CreateFuture<int>()), $"late{k}");
            }
            snapshots.Add(string.Join(",", loop.AllTasks().Select(t => t.Name)));
        }
        loop.RunUntilComplete(loop.CreateTask(Main(), "main"));

        var survivors = Enumerable.Range(0, Count).Where(i => i % 7 == 0).Select(i => $"t{i}").ToList();
        var late = Enumerable.Range(0, Count - survivors.Count).Where(k => k % 3 == 0).Select(k => $"late{k}").ToList();
        Assert.Equal(string.Join(",", new[] { "main" }.Concat(survivors).Concat(late)), Assert.Single(snapshots));
        Assert.Equal(survivors.Concat(late), loop.AllTasks().Select(t => t.Name));
    }

    [Fact]
    public void CoroutineNeverAwaited_WhenDebugIsSetWhileRunning_IsReportedAtClose()
    {
        var loop = TestLoops.NewLoop();
        var contexts = new List<ExceptionContext>();
        loop.SetExceptionHandler((_, context) => contexts.Add(context));
        static async Coroutine Before() => await Asyncio.Sleep(1);
        static async Coroutine Forgotten() => await Asyncio.Sleep(1);
        async Coroutine Main()
        {
            _ = Before();
            loop.Debug = true;
            _ = Forgotten();
            await Asyncio.Sleep(0);
        }
        loop.RunUntilComplete(Main());

        loop.Close();
        var context = Assert.Single(contexts);
        Assert.Equal("coroutine 'Forgotten' was never awaited", context.Message);
    }

    [Fact]
    public void CreateTask_WithTaskFactory_GoesThroughTheFactory()
    {
        var loop = TestLoops.NewLoop();
        var factory = new RenamingTaskFactory();
        loop.TaskFactory = factory;
        static async Coroutine<int> Child() => await Asyncio.Sleep(1, 5);
        async Coroutine<string> Main()
        {
            var child = loop.CreateTask(Child(), "child");
            return $"{Asyncio.CurrentTask()!.Name} {child.Name} {await child}";
        }

        Assert.Equal("factory:unnamed factory:child 5", loop.RunUntilComplete(Main()));
        Assert.Equal([(loop, null), (loop, "child")], factory.Requests);

        loop.TaskFactory = null;
        Assert.Equal("Task-", loop.CreateTask(Child())!.Name[..5]);
        Assert.Equal(2, factory.Requests.Count);
    }

    private sealed class RenamingTaskFactory : ITaskFactory
    {
        public List<(EventLoop Loop, string? Name)> Requests { get; } = [];

        public LoopTask<T> CreateTask<T>(EventLoop loop, Coroutine<T> coroutine, string? name)
        {
            Requests.Add((loop, name));
            return new LoopTask<T>(loop, coroutine, $"factory:{name ?? "unnamed"}");
        }
    }

    // ---- test doubles --------------------------------------------------------------------

    /// <summary>A clock that moves only when the test moves it.</summary>
    private sealed class ManualClock : IClock
    {
        public long NowNs { get; set; }

        public long ResolutionNs => 1;
    }

    [Fact]
    public void Poll_ReportingADeadlockAfterAnotherThreadQueuedACallback_RunsTheCallbackInstead()
    {
        // Outside work that ends on another thread queues its callback, then stops being counted.
        // A poll that read the count after it dropped may report a deadlock; the callback queued
        // just before is the loop's work, not a deadlock.
        var backend = new DeadlockAfterThreadsafeCallbackBackend();
        var loop = new EventLoop(new ManualClock(), backend);
        var done = loop.CreateFuture<int>();
        backend.Queue = () =>
        {
            var other = new Thread(() => loop.CallSoonThreadsafe(() => done.SetResult(7)));
            other.Start();
            other.Join();
        };
        backend.Arm();

        Assert.Equal(7, loop.RunUntilComplete(done));
        Assert.Equal(1, backend.DeadlocksReported);
    }

    /// <summary>Once armed, its next poll with nothing else to wake the loop has another thread
    /// queue a callback, then reports a deadlock (as a poll that read the outside-work count after
    /// that thread stopped counting would).</summary>
    private sealed class DeadlockAfterThreadsafeCallbackBackend : IIoBackend
    {
        private bool _armed;

        public Action? Queue { get; set; }

        public int DeadlocksReported { get; private set; }

        public void Arm() => _armed = true;

        public bool Poll(long timeoutNs, bool outsideWorkInFlight)
        {
            if (!_armed || timeoutNs == 0)
                return true;
            _armed = false;
            Queue!();
            DeadlocksReported++;
            return false;
        }

        public void Wakeup() { }

        public IExecutor CreateDefaultExecutor() => throw new NotSupportedException("no executor in this test");

        public void Dispose() { }
    }

    /// <summary>A backend that never waits and remembers every poll timeout it was given.</summary>
    private sealed class RecordingBackend : IIoBackend
    {
        public List<long> Polls { get; } = [];

        public bool Poll(long timeoutNs, bool outsideWorkInFlight)
        {
            Polls.Add(timeoutNs);
            return true;
        }

        public void Wakeup() { }

        public IExecutor CreateDefaultExecutor() => throw new NotSupportedException("no executor in this test");

        public void Dispose() { }
    }
}

using Sim.Core;
using Sim.Tests.Infrastructure;

namespace Sim.Tests.Composition;

/// <summary>Gather's result shapes, AsCompleted over coroutines, and the thread-crossing
/// functions (RunCoroutineThreadsafe, WrapFuture) with a real second thread.</summary>
[Trait("Category", "Unit")]
public sealed class CompositionInteropTests
{
    private sealed class Boom(string message) : Exception(message);

    private static async Coroutine<int> After(double delay, int value)
    {
        await Asyncio.Sleep(delay);
        return value;
    }

    [Fact]
    public void Gather_Mixed_CoroutineWithoutResultGivesNull()
    {
        var loop = TestLoops.NewLoop();
        async Coroutine<object?[]> Main() => await Asyncio.Gather(Asyncio.Sleep(0.1), After(0.2, 5), Asyncio.Sleep(0.1, "text"));
        Assert.Equal([null, 5, "text"], loop.RunUntilComplete(Main()));
    }

    [Fact]
    public void Gather_Collections_TypedResultsInOrder()
    {
        var loop = TestLoops.NewLoop();
        async Coroutine<string> Main()
        {
            List<Coroutine<int>> coroutines = [After(0.2, 1), After(0.1, 2)];
            var fromCoroutines = await Asyncio.Gather(coroutines);
            List<LoopTask<int>> tasks = [loop.CreateTask(After(0.1, 3)), loop.CreateTask(After(0.2, 4))];
            var fromTasks = await Asyncio.Gather(tasks);
            List<object> mixed = [After(0.1, 5), Asyncio.Sleep(0.1, "six")];
            var fromMixed = await Asyncio.Gather(mixed);
            return string.Join(",", fromCoroutines) + " " + string.Join(",", fromTasks) + " " + string.Join(",", fromMixed);
        }
        Assert.Equal("1,2 3,4 5,six", loop.RunUntilComplete(Main()));
    }

    [Fact]
    public void Gather_ReturnExceptions_FailuresInPlace()
    {
        var loop = TestLoops.NewLoop();
        static async Coroutine<int> Fail()
        {
            await Asyncio.Sleep(0.1);
            throw new Boom("bad");
        }
        async Coroutine<object?[]> Main() => await Asyncio.Gather(new[] { After(0.2, 1), Fail() }, returnExceptions: true);
        var results = loop.RunUntilComplete(Main());
        Assert.Equal(1, results[0]);
        Assert.Equal("bad", Assert.IsType<Boom>(results[1]).Message);
    }

    [Fact]
    public void Gather_OfGathers_CancellingTheOuterCancelsEveryLeaf()
    {
        var loop = TestLoops.NewLoop();
        async Coroutine<string> Main()
        {
            var inner = Asyncio.Gather(After(1, 1), After(2, 2));
            var outer = Asyncio.Gather(inner, Asyncio.Gather(After(3, 3)));
            await Asyncio.Sleep(0);
            Assert.True(outer.Cancel("all"));
            var error = await Assert.ThrowsAsync<CancelledError>(async () => await outer);
            return $"{error.CancelMessage} inner={inner.Exception()?.GetType().Name} at {loop.Time()} tasks={Asyncio.AllTasks().Count}";
        }
        Assert.Equal("all inner=CancelledError at 0 tasks=1", loop.RunUntilComplete(Main()));
    }

    [Fact]
    public void AsCompleted_Coroutines_StartWhenEnumeratedAndComeInCompletionOrder()
    {
        var loop = TestLoops.NewLoop();
        async Coroutine<List<int>> Main()
        {
            var order = new List<int>();
            var sequence = Asyncio.AsCompleted([After(0.3, 3), After(0.1, 1), After(0.2, 2)]);
            await Asyncio.Sleep(1);
            Assert.Single(Asyncio.AllTasks());
            foreach (var next in sequence)
                order.Add(await next);
            return order;
        }
        Assert.Equal([1, 2, 3], loop.RunUntilComplete(Main()));
        Assert.Equal(1.3, loop.Time(), 9);
    }

    [Fact]
    public void RunCoroutineThreadsafe_FromAnotherThread_RunsOnTheLoopAndReturnsTheResult()
    {
        var loop = TestLoops.NewLoop();
        int? loopThread = null;
        async Coroutine<int> Compute(int x)
        {
            loopThread = Environment.CurrentManagedThreadId;
            await Asyncio.Sleep(0.1);
            return x * 2;
        }
        async Coroutine<int> Main()
        {
            var handOff = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
            var submitter = new Thread(() =>
            {
                try
                {
                    handOff.SetResult(Asyncio.RunCoroutineThreadsafe(Compute(21), loop).Result + 1);
                }
                catch (Exception error)
                {
                    handOff.SetException(error);
                }
            });
            submitter.Start();
            var result = await Asyncio.WrapFuture(handOff.Task);
            submitter.Join();
            return result;
        }
        Assert.Equal(43, loop.RunUntilComplete(Main()));
        Assert.Equal(Environment.CurrentManagedThreadId, loopThread);
    }

    [Fact]
    public void WrapFuture_TasksCompletedOnOtherThreadsWhileTheLoopIsIdle_NeverReportADeadlock()
    {
        // The loop, with nothing else to do, waits for the .NET tasks it awaits; each completes on
        // a pool thread, which queues the result and only then stops counting the wait, so the
        // loop never finds neither (that gap once raised a false DeadlockException). Many rounds,
        // awaiting both ways (WrapFuture and a plain await of the task), to cross the gap often.
        var loop = TestLoops.NewLoop();
        async Coroutine<int> Main()
        {
            var total = 0;
            for (var round = 0; round < 2_000; round++)
            {
                var source = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
                var completer = new Thread(() => source.SetResult(1));
                completer.Start();
                total += round % 2 == 0 ? await Asyncio.WrapFuture(source.Task) : await source.Task;
                completer.Join();
            }
            return total;
        }
        Assert.Equal(2_000, loop.RunUntilComplete(Main()));
    }

    [Fact]
    public void RunCoroutineThreadsafe_CancelledBeforeTheLoopRuns_CoroutineNeverStarts()
    {
        var loop = TestLoops.NewLoop();
        var started = false;
        async Coroutine<int> Body()
        {
            started = true;
            await Asyncio.Sleep(0);
            return 1;
        }
        using var cancellation = new CancellationTokenSource();
        var task = Asyncio.RunCoroutineThreadsafe(Body(), loop, cancellation.Token);
        cancellation.Cancel();
        Assert.True(task.IsCanceled);
        loop.RunUntilComplete(Asyncio.Sleep(0.1));
        Assert.False(started);
        Assert.Empty(loop.AllTasks());
    }

    [Fact]
    public void WrapFuture_CancellingTheFuture_CancelsTheSubmittedCoroutine()
    {
        var loop = TestLoops.NewLoop();
        async Coroutine<string> Main()
        {
            var submitted = Asyncio.RunCoroutineThreadsafe(After(10, 1), loop);
            var wrapped = Asyncio.WrapFuture(submitted);
            await Asyncio.Sleep(0.1);
            wrapped.Cancel();
            await Asyncio.Sleep(0.1);
            return $"{submitted.IsCanceled} {Asyncio.AllTasks().Count}";
        }
        Assert.Equal("True 1", loop.RunUntilComplete(Main()));
    }

    [Fact]
    public void WrapFuture_FinishedTask_DeliversInTheNextIteration()
    {
        var loop = TestLoops.NewLoop();
        async Coroutine<string> Main()
        {
            var future = Asyncio.WrapFuture(Task.FromResult(4));
            var doneAtOnce = future.Done;
            await Asyncio.Sleep(0);
            return $"{doneAtOnce} {future.Done} {future.Result()}";
        }
        Assert.Equal("False True 4", loop.RunUntilComplete(Main()));
    }

    [Fact]
    public void WrapFuture_TaskWithoutResult_FaultedAndCancelled()
    {
        var loop = TestLoops.NewLoop();
        async Coroutine<string> Main()
        {
            var faulted = Asyncio.WrapFuture(Task.FromException(new Boom("bad")));
            var cancelled = Asyncio.WrapFuture(Task.FromCanceled(new CancellationToken(canceled: true)));
            var fine = Asyncio.WrapFuture(Task.CompletedTask);
            await Asyncio.Sleep(0);
            await Asyncio.Sleep(0);
            return $"{faulted.Exception()?.Message} {cancelled.Cancelled} {fine.Result()}";
        }
        Assert.Equal("bad True None", loop.RunUntilComplete(Main()));
    }

    [Fact]
    public void ToThread_Action_RunsInTheExecutor()
    {
        var loop = TestLoops.NewLoop();
        var ran = 0;
        async Coroutine Main() => await Asyncio.ToThread(() => { ran++; });
        loop.RunUntilComplete(Main());
        Assert.Equal(1, ran);
    }
}

using Sim.Core;
using Sim.Tests.Infrastructure;

namespace Sim.Tests.Sync;

/// <summary>
/// An await of a primitive's operation that needs no wait (a get from a queue holding an item,
/// a put into a queue with room, a free lock or semaphore, a set event) finishes at once and is
/// not a suspension point, as in CPython: no other task runs in between, and a cancellation
/// requested meanwhile is raised at the next real suspension, not there.
/// </summary>
[Trait("Category", "Unit")]
public sealed class SyncFastPathTests
{
    [Fact]
    public void OperationsThatNeedNoWait_DoNotYieldToOtherTasks()
    {
        // CPython: ['got 1', 'acquired', 'before yield', 'other ran', 'after yield']
        var loop = TestLoops.NewLoop();
        var log = new List<string>();
        async Coroutine Other()
        {
            log.Add("other ran");
            await Asyncio.Sleep(0);
        }
        async Coroutine Main()
        {
            var queue = new LoopQueue<int>();
            queue.PutNowait(1);
            queue.PutNowait(2);
            _ = loop.CreateTask(Other());
            log.Add($"got {await queue.Get()}");
            await queue.Put(3);
            var gate = new LoopLock();
            await gate.Acquire();
            log.Add("acquired");
            gate.Release();
            var flag = new LoopEvent();
            flag.Set();
            await flag.Wait();
            var units = new LoopSemaphore(1);
            await units.Acquire();
            Assert.Equal(0, units.Value);
            log.Add("before yield");
            await Asyncio.Sleep(0);
            log.Add("after yield");
            Assert.Equal([2, 3], [queue.GetNowait(), queue.GetNowait()]);
        }
        loop.RunUntilComplete(Main());
        Assert.Equal(["got 1", "acquired", "before yield", "other ran", "after yield"], log);
    }

    [Fact]
    public void FreeLockAwaitedFromAnotherThreadWhileTheLoopStepsATask_InDebugMode_NotAcquiredThere()
    {
        // Primitives are not thread-safe; in debug mode, a foreign thread awaiting a free lock
        // while the loop is inside a task step must not take the lock from that thread.
        var loop = TestLoops.NewLoop();
        loop.Debug = true;
        var gate = new LoopLock();
        bool? completedAtOnce = null;
        Exception? error = null;
        async Coroutine Holder()
        {
            await gate.Acquire();
            gate.Release();
        }
        async Coroutine Main()
        {
            await gate.Acquire();
            var holder = loop.CreateTask(Holder());
            // The holder waits in line, which binds the lock to this loop.
            await Asyncio.Sleep(0);
            gate.Release();
            await holder;
            var foreign = new Thread(() =>
            {
                try
                {
                    completedAtOnce = gate.Acquire().GetAwaiter().IsCompleted;
                }
                catch (InvalidOperationException e)
                {
                    error = e;
                }
            });
            foreign.Start();
            foreign.Join();
        }
        loop.RunUntilComplete(Main());
        Assert.NotEqual(true, completedAtOnce);
        Assert.True(completedAtOnce is false || error is not null, "the foreign await neither declined nor was refused");
        Assert.False(gate.Locked(), "a thread other than the loop's took the lock");
    }

    [Fact]
    public void TaskCancelledWhileRunning_GetThatNeedsNoWaitSucceeds_CancellationRaisedAtNextSuspension()
    {
        // CPython: ['got 2 despite cancel', "cancelled at sleep: ('stop',)", 'task cancelled']
        var loop = TestLoops.NewLoop();
        var log = new List<string>();
        var queue = new LoopQueue<int>();
        async Coroutine SelfCancelling()
        {
            loop.CurrentTask!.Cancel("stop");
            log.Add($"got {await queue.Get()} despite cancel");
            try
            {
                await Asyncio.Sleep(0);
            }
            catch (CancelledError error)
            {
                log.Add($"cancelled at sleep: {error.CancelMessage}");
                throw;
            }
        }
        async Coroutine Main()
        {
            queue.PutNowait(2);
            var task = loop.CreateTask(SelfCancelling());
            try
            {
                await task;
            }
            catch (CancelledError)
            {
                log.Add("task cancelled");
            }
            Assert.True(queue.Empty());
        }
        loop.RunUntilComplete(Main());
        Assert.Equal(["got 2 despite cancel", "cancelled at sleep: stop", "task cancelled"], log);
    }

    [Fact]
    public void OperationFinishedAtOnce_AwaitedAgain_ThrowsReuseError()
    {
        var loop = TestLoops.NewLoop();
        async Coroutine Main()
        {
            var queue = new LoopQueue<int>();
            queue.PutNowait(5);
            var get = queue.Get();
            Assert.Equal(5, await get);
            var error = await Assert.ThrowsAsync<InvalidOperationException>(async () => await get);
            Assert.Equal("cannot reuse already awaited coroutine 'Get'", error.Message);
            Assert.Throws<InvalidOperationException>(() => loop.CreateTask(get));
        }
        loop.RunUntilComplete(Main());
    }

    [Fact]
    public void OperationOfABoundPrimitiveNeverAwaited_InDebugMode_IsReportedAtClose()
    {
        var loop = TestLoops.NewLoop(debug: true);
        var contexts = new List<ExceptionContext>();
        loop.SetExceptionHandler((_, context) => contexts.Add(context));
        var queue = new LoopQueue<int>();
        async Coroutine Consumer() => await queue.Get();
        async Coroutine Main()
        {
            // The consumer waits: the queue is now bound to the running loop.
            var consumer = loop.CreateTask(Consumer());
            await Asyncio.Sleep(0);
            await queue.Put(1);
            await consumer;
            _ = queue.Put(2);
            await queue.Put(3);
        }
        loop.RunUntilComplete(Main());
        Assert.Empty(contexts);
        loop.Close();
        var context = Assert.Single(contexts);
        Assert.Equal("coroutine 'Put' was never awaited", context.Message);
    }
}

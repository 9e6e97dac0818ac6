using Sim.Core;
using Sim.Tests.Infrastructure;

namespace Sim.Tests.Sync;

/// <summary>
/// Programmer errors with the sync primitives and queues get a clear exception at the call that
/// made them, and leave the primitive as it was.
/// </summary>
[Trait("Category", "Unit")]
public sealed class SyncBadInputTests
{
    [Theory]
    [InlineData(-1)]
    [InlineData(int.MinValue)]
    public void Semaphore_NegativeValue_ThrowsArgumentOutOfRangeNamingTheBound(int value)
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => new LoopSemaphore(value));
        Assert.Equal("value", error.ParamName);
        Assert.Contains(">= 0", error.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentOutOfRangeException>(() => new LoopBoundedSemaphore(value));
    }

    [Fact]
    public void Semaphore_ZeroValue_IsAllowedAndLocked()
    {
        Assert.True(new LoopSemaphore(0).Locked());
        Assert.True(new LoopBoundedSemaphore(0).Locked());
    }

    [Fact]
    public void BoundedSemaphore_ReleaseAboveInitialValue_ThrowsSemaphoreFullAndKeepsTheValue()
    {
        var sem = new LoopBoundedSemaphore(2);
        var error = Assert.Throws<SemaphoreFullException>(sem.Release);
        Assert.Contains("released too many times", error.Message, StringComparison.Ordinal);
        Assert.Equal(2, sem.Value);
    }

    [Fact]
    public void Lock_ReleaseUnlocked_ThrowsInvalidOperationSayingItIsNotAcquired()
    {
        var lk = new LoopLock();
        var error = Assert.Throws<InvalidOperationException>(lk.Release);
        Assert.Contains("not acquired", error.Message, StringComparison.Ordinal);
        Assert.False(lk.Locked());
    }

    [Fact]
    public void Lock_ReleasedTwice_SecondReleaseThrows()
    {
        var loop = TestLoops.NewLoop();
        var lk = new LoopLock();
        loop.RunUntilComplete(lk.Acquire());
        lk.Release();
        Assert.Throws<InvalidOperationException>(lk.Release);
    }

    [Fact]
    public void Queue_TaskDoneMoreThanPut_ThrowsInvalidOperationAndJoinStillReturns()
    {
        var loop = TestLoops.NewLoop();
        var q = new LoopQueue<int>();
        Assert.Throws<InvalidOperationException>(q.TaskDone);
        q.PutNowait(1);
        q.GetNowait();
        q.TaskDone();
        var error = Assert.Throws<InvalidOperationException>(q.TaskDone);
        Assert.Contains("too many times", error.Message, StringComparison.Ordinal);
        loop.RunUntilComplete(q.Join());
    }

    [Fact]
    public void Condition_NotifyWithoutTheLock_ThrowsInvalidOperationSayingAcquireFirst()
    {
        var cond = new LoopCondition();
        var error = Assert.Throws<InvalidOperationException>(() => cond.Notify());
        Assert.Contains("un-acquired lock", error.Message, StringComparison.Ordinal);
        Assert.Contains("Acquire()", error.Message, StringComparison.Ordinal);
        Assert.Throws<InvalidOperationException>(cond.NotifyAll);
    }

    [Fact]
    public void Condition_WaitWithoutTheLock_RaisesAtTheAwait()
    {
        var loop = TestLoops.NewLoop();
        var cond = new LoopCondition();
        var error = Assert.Throws<InvalidOperationException>(() => loop.RunUntilComplete(cond.Wait()));
        Assert.Contains("un-acquired lock", error.Message, StringComparison.Ordinal);
        Assert.False(cond.Locked());
    }

    [Fact]
    public void Condition_NotifyNegativeCount_ThrowsArgumentOutOfRange()
    {
        var loop = TestLoops.NewLoop();
        var cond = new LoopCondition();
        loop.RunUntilComplete(cond.Acquire());
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => cond.Notify(-1));
        Assert.Equal("n", error.ParamName);
    }

    [Fact]
    public void Condition_WaitForNullPredicate_ThrowsArgumentNull()
    {
        var loop = TestLoops.NewLoop();
        var cond = new LoopCondition();
        Assert.Throws<ArgumentNullException>(() => loop.RunUntilComplete(cond.WaitFor(null!)));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-3)]
    public void Barrier_LessThanOneParty_ThrowsArgumentOutOfRange(int parties)
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => new LoopBarrier(parties));
        Assert.Equal("parties", error.ParamName);
        Assert.Contains("at least 1 party", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AcquiredScope_NotFromHold_ThrowsOnDispose()
    {
        var scope = default(AcquiredScope);
        var error = Assert.Throws<InvalidOperationException>(scope.Dispose);
        Assert.Contains("Hold()", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Queue_NowaitOnFullOrEmpty_ThrowsQueueFullAndQueueEmpty()
    {
        var q = new LoopQueue<int>(1);
        Assert.Throws<QueueEmptyException>(() => q.GetNowait());
        q.PutNowait(1);
        Assert.Throws<QueueFullException>(() => q.PutNowait(2));
        Assert.Equal(1, q.Qsize());
    }

    [Fact]
    public void Queue_AfterShutdown_PutsRaiseAndGetsRaiseOnceEmpty()
    {
        var loop = TestLoops.NewLoop();
        var q = new LoopQueue<int>();
        q.PutNowait(1);
        q.Shutdown();
        Assert.True(q.IsShutdown);
        Assert.Throws<QueueShutDownException>(() => q.PutNowait(2));
        Assert.Throws<QueueShutDownException>(() => loop.RunUntilComplete(q.Put(2)));
        Assert.Equal(1, loop.RunUntilComplete(q.Get()));
        Assert.Throws<QueueShutDownException>(() => q.GetNowait());
        Assert.Throws<QueueShutDownException>(() => loop.RunUntilComplete(q.Get()));
    }

    [Fact]
    public void Queue_InDebugMode_RefusesCallsFromAnotherThread()
    {
        var loop = TestLoops.NewLoop(debug: true);
        var q = new LoopQueue<int>();
        Exception? refused = null;
        async Coroutine Main()
        {
            var getter = Asyncio.GetRunningLoop().CreateTask(q.Get());
            await Asyncio.Yield();
            var other = new Thread(() => refused = Record.Exception(() => q.PutNowait(1)));
            other.Start();
            other.Join();
            q.PutNowait(2);
            Assert.Equal(2, await getter);
        }
        loop.RunUntilComplete(Main());
        var error = Assert.IsType<InvalidOperationException>(refused);
        Assert.Contains("not thread-safe", error.Message, StringComparison.Ordinal);
        Assert.True(q.Empty());
    }

    public static TheoryData<string> Primitives() => new() { "lock", "event", "condition", "semaphore", "queue-get", "queue-put", "barrier" };

    [Theory]
    [MemberData(nameof(Primitives))]
    public void Primitive_WaitedOnFromASecondLoop_ThrowsInvalidOperationNamingThePrimitive(string kind)
    {
        var (wait, name) = Waiter(kind);
        var first = TestLoops.NewLoop();
        first.RunUntilComplete(WaitThenCancel(wait));
        var second = TestLoops.NewLoop();
        var error = Assert.Throws<InvalidOperationException>(() => second.RunUntilComplete(WaitThenCancel(wait)));
        Assert.Contains($"{name} is bound to a different event loop", error.Message, StringComparison.Ordinal);
    }

    /// <summary>A way to make a task wait on each primitive, and the primitive's name.</summary>
    private static (Func<Coroutine> Wait, string Name) Waiter(string kind)
    {
        switch (kind)
        {
            case "lock":
                var lk = new LoopLock();
                return (async () => { await lk.Acquire(); await lk.Acquire(); }, "LoopLock");
            case "event":
                var evt = new LoopEvent();
                return (async () => await evt.Wait(), "LoopEvent");
            case "condition":
                var cond = new LoopCondition();
                return (async () =>
                {
                    await cond.Acquire();
                    try
                    {
                        await cond.Wait();
                    }
                    finally
                    {
                        cond.Release();
                    }
                }, "LoopCondition");
            case "semaphore":
                var sem = new LoopSemaphore(0);
                return (async () => await sem.Acquire(), "LoopSemaphore");
            case "queue-get":
                var empty = new LoopQueue<int>();
                return (async () => await empty.Get(), "LoopQueue");
            case "queue-put":
                var full = new LoopQueue<int>(1);
                full.PutNowait(0);
                return (async () => await full.Put(1), "LoopQueue");
            default:
                var barrier = new LoopBarrier(2);
                return (async () => await barrier.Wait(), "LoopBarrier");
        }
    }

    /// <summary>Starts <paramref name="wait"/> in a task, lets it block, then cancels it.</summary>
    private static async Coroutine WaitThenCancel(Func<Coroutine> wait)
    {
        var task = Asyncio.GetRunningLoop().CreateTask(wait());
        await Asyncio.Sleep(0.001);
        if (task.Done)
        {
            await task;
            return;
        }
        task.Cancel();
        try
        {
            await task;
        }
        catch (CancelledError)
        {
            // Expected: it was waiting.
        }
    }
}

using Sim.Core;
using Sim.Tests.Infrastructure;

namespace Sim.Tests.Sync;

/// <summary>
/// A task cancelled while it waits on a primitive leaves the primitive consistent: it never
/// gets what it waited for, and a wake-up it had already been given goes to the next waiter,
/// so nothing (lock, unit, notification, item, slot) is lost or taken twice.
/// </summary>
[Trait("Category", "Unit")]
public sealed class SyncCancellationTests
{
    private static void Run(Func<Coroutine> main)
    {
        var loop = TestLoops.NewLoop();
        loop.RunUntilComplete(main());
        loop.Close();
    }

    private static async Coroutine<bool> EndsCancelled(LoopTask<Unit> task)
    {
        try
        {
            await task;
            return false;
        }
        catch (CancelledError)
        {
            return true;
        }
    }

    private static LoopTask<Unit> Spawn(Coroutine coroutine) => Asyncio.GetRunningLoop().CreateTask(coroutine);

    [Fact]
    public void Lock_WaiterCancelledAfterRelease_PassesTheLockToTheNextWaiter() => Run(async () =>
    {
        var lk = new LoopLock();
        var holders = new List<string>();
        async Coroutine Take(string name)
        {
            await lk.Acquire();
            holders.Add(name);
            lk.Release();
        }
        await lk.Acquire();
        var first = Spawn(Take("first"));
        var second = Spawn(Take("second"));
        await Asyncio.Yield();
        lk.Release();
        first.Cancel();
        Assert.True(await EndsCancelled(first));
        await second;
        Assert.Equal(["second"], holders);
        Assert.False(lk.Locked());
    });

    [Fact]
    public void Lock_OnlyCancelledWaitersInLine_NewcomerTakesItWithoutWaiting() => Run(async () =>
    {
        var lk = new LoopLock();
        await lk.Acquire();
        var waiter = Spawn(Lock(lk));
        await Asyncio.Yield();
        waiter.Cancel();
        lk.Release();
        // The cancelled waiter has not stepped yet: it still stands in line, but cannot take the lock.
        var acquire = lk.Acquire();
        var step = Spawn(Step(acquire));
        await step;
        Assert.True(lk.Locked());
        Assert.True(await EndsCancelled(waiter));
        Assert.True(lk.Locked());
        lk.Release();

        static async Coroutine Lock(LoopLock lk) => await lk.Acquire();

        // Awaits the acquire and checks it did not suspend: the task is still in its first step.
        static async Coroutine Step(Coroutine<bool> acquire)
        {
            var before = Asyncio.GetRunningLoop().TimeNs();
            var stepped = false;
            Asyncio.GetRunningLoop().CallSoon(() => stepped = true);
            await acquire;
            Assert.False(stepped, "the acquire waited although only a cancelled waiter stood in line");
            Assert.Equal(before, Asyncio.GetRunningLoop().TimeNs());
        }
    });

    [Fact]
    public void Event_WaiterCancelled_LeavesTheLineAndIsNotWoken() => Run(async () =>
    {
        var evt = new LoopEvent();
        var woken = new List<string>();
        async Coroutine Wait(string name)
        {
            await evt.Wait();
            woken.Add(name);
        }
        var a = Spawn(Wait("a"));
        var b = Spawn(Wait("b"));
        await Asyncio.Yield();
        a.Cancel();
        Assert.True(await EndsCancelled(a));
        Assert.Contains("waiters:1", evt.ToString(), StringComparison.Ordinal);
        evt.Set();
        await b;
        Assert.Equal(["b"], woken);
        Assert.Equal("<LoopEvent [set]>", evt.ToString());
    });

    [Fact]
    public void Condition_NotifiedWaiterCancelled_HandsTheNotificationOn() => Run(async () =>
    {
        var cond = new LoopCondition();
        var notified = new List<string>();
        async Coroutine Wait(string name)
        {
            using (await cond.Hold())
            {
                await cond.Wait();
                notified.Add(name);
            }
        }
        var a = Spawn(Wait("a"));
        var b = Spawn(Wait("b"));
        await Asyncio.Yield();
        using (await cond.Hold())
        {
            cond.Notify(1);
            a.Cancel();
        }
        Assert.True(await EndsCancelled(a));
        await b;
        Assert.Equal(["b"], notified);
        Assert.False(cond.Locked());
    });

    [Fact]
    public void Condition_WaitCancelled_RaisesOnlyOnceTheLockIsHeldAgain() => Run(async () =>
    {
        var cond = new LoopCondition();
        bool? heldWhenRaised = null;
        async Coroutine Wait()
        {
            await cond.Acquire();
            try
            {
                await cond.Wait();
            }
            catch (CancelledError)
            {
                heldWhenRaised = cond.Locked();
                throw;
            }
            finally
            {
                cond.Release();
            }
        }
        var waiter = Spawn(Wait());
        await Asyncio.Yield();
        await cond.Acquire();
        waiter.Cancel();
        await Asyncio.Sleep(0.01);
        Assert.False(waiter.Done, "the cancelled waiter finished while another task held the lock");
        cond.Release();
        Assert.True(await EndsCancelled(waiter));
        Assert.True(heldWhenRaised);
        Assert.False(cond.Locked());
    });

    [Fact]
    public void Semaphore_WaiterCancelledAfterItWasGivenAUnit_GivesItBack() => Run(async () =>
    {
        var sem = new LoopBoundedSemaphore(1);
        await sem.Acquire();
        var acquired = new List<string>();
        async Coroutine Take(string name)
        {
            await sem.Acquire();
            acquired.Add(name);
            sem.Release();
        }
        var first = Spawn(Take("first"));
        var second = Spawn(Take("second"));
        await Asyncio.Yield();
        sem.Release();
        Assert.Equal(0, sem.Value);
        first.Cancel();
        Assert.True(await EndsCancelled(first));
        await second;
        Assert.Equal(["second"], acquired);
        Assert.Equal(1, sem.Value);
        Assert.False(sem.Locked());
    });

    [Fact]
    public void Semaphore_WaiterCancelledWhileWaiting_NoLongerLocksIt() => Run(async () =>
    {
        var sem = new LoopSemaphore(0);
        var waiter = Spawn(Take(sem));
        await Asyncio.Yield();
        waiter.Cancel();
        Assert.True(await EndsCancelled(waiter));
        sem.Release();
        Assert.False(sem.Locked());
        Assert.Equal(1, sem.Value);

        static async Coroutine Take(LoopSemaphore sem) => await sem.Acquire();
    });

    [Fact]
    public void Barrier_PartyCancelledWhileWaiting_NoLongerCounts() => Run(async () =>
    {
        var barrier = new LoopBarrier(2);
        var indexes = new List<int>();
        async Coroutine Party() => indexes.Add(await barrier.Wait());
        var gone = Spawn(Party());
        await Asyncio.Yield();
        Assert.Equal(1, barrier.NWaiting);
        gone.Cancel();
        Assert.True(await EndsCancelled(gone));
        Assert.Equal(0, barrier.NWaiting);
        var a = Spawn(Party());
        await Asyncio.Sleep(0.01);
        Assert.False(a.Done, "a barrier of 2 let one party through");
        var b = Spawn(Party());
        await a;
        await b;
        Assert.Equal([0, 1], indexes.Order());
        Assert.False(barrier.Broken);
    });

    public static TheoryData<string> QueueKinds() => new() { "fifo", "lifo", "priority" };

    private static LoopQueue<int> NewQueue(string kind, int maxsize = 0) => kind switch
    {
        "fifo" => new LoopQueue<int>(maxsize),
        "lifo" => new LoopLifoQueue<int>(maxsize),
        _ => new LoopPriorityQueue<int>(maxsize),
    };

    [Theory]
    [MemberData(nameof(QueueKinds))]
    public void Queue_GetterCancelledAfterAPutWokeIt_LeavesTheItemToTheNextGetter(string kind) => Run(async () =>
    {
        var q = NewQueue(kind);
        var got = new List<(string, int)>();
        async Coroutine Get(string name) => got.Add((name, await q.Get()));
        var first = Spawn(Get("first"));
        var second = Spawn(Get("second"));
        await Asyncio.Yield();
        q.PutNowait(7);
        first.Cancel();
        Assert.True(await EndsCancelled(first));
        await second;
        Assert.Equal([("second", 7)], got);
        Assert.True(q.Empty());
    });

    [Theory]
    [MemberData(nameof(QueueKinds))]
    public void Queue_GetterCancelledWhileWaiting_TakesNoItem(string kind) => Run(async () =>
    {
        var q = NewQueue(kind);
        var getter = Spawn(Get(q));
        await Asyncio.Yield();
        getter.Cancel();
        q.PutNowait(1);
        Assert.True(await EndsCancelled(getter));
        Assert.Equal(1, q.Qsize());
        Assert.Equal(1, q.GetNowait());

        static async Coroutine Get(LoopQueue<int> q) => await q.Get();
    });

    [Theory]
    [MemberData(nameof(QueueKinds))]
    public void Queue_PutterCancelledAfterAGetWokeIt_LeavesTheSlotToTheNextPutter(string kind) => Run(async () =>
    {
        var q = NewQueue(kind, maxsize: 1);
        q.PutNowait(0);
        var first = Spawn(q.Put(1));
        var second = Spawn(q.Put(2));
        await Asyncio.Yield();
        Assert.Equal(0, q.GetNowait());
        first.Cancel();
        Assert.True(await EndsCancelled(first));
        await second;
        Assert.Equal(1, q.Qsize());
        Assert.Equal(2, q.GetNowait());
    });

    [Fact]
    public void Queue_Join_CountsOnlyItemsThatWerePut() => Run(async () =>
    {
        var q = new LoopQueue<int>(1);
        q.PutNowait(1);
        var putter = Spawn(q.Put(2));
        await Asyncio.Yield();
        putter.Cancel();
        Assert.True(await EndsCancelled(putter));
        q.GetNowait();
        q.TaskDone();
        var join = Spawn(q.Join());
        await join;
        Assert.True(q.Empty());
    });
}

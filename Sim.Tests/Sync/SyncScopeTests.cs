using Sim.Core;
using Sim.Tests.Infrastructure;

namespace Sim.Tests.Sync;

/// <summary><c>Hold()</c> scopes (asyncio's <c>async with</c>) and conditions sharing a lock.</summary>
[Trait("Category", "Unit")]
public sealed class SyncScopeTests
{
    [Fact]
    public void Hold_UsingAndAwaitUsing_ReleaseAtTheEndOfTheBlockEvenOnError()
    {
        var loop = TestLoops.NewLoop();
        var lk = new LoopLock();
        var sem = new LoopBoundedSemaphore(1);
        async Coroutine Main()
        {
            using (await lk.Hold())
                Assert.True(lk.Locked());
            Assert.False(lk.Locked());
            await using (await sem.Hold())
                Assert.True(sem.Locked());
            Assert.False(sem.Locked());
            try
            {
                using (await lk.Hold())
                    throw new FormatException("inside the block");
            }
            catch (FormatException)
            {
                Assert.False(lk.Locked());
            }
        }
        loop.RunUntilComplete(Main());
    }

    [Fact]
    public void Conditions_SharingALock_HoldItTogetherAndNotifyTheirOwnWaiters()
    {
        var loop = TestLoops.NewLoop();
        var shared = new LoopLock();
        var notEmpty = new LoopCondition(shared);
        var notFull = new LoopCondition(shared);
        var woken = new List<string>();
        async Coroutine Wait(LoopCondition cond, string name)
        {
            using (await cond.Hold())
            {
                await cond.Wait();
                woken.Add(name);
            }
        }
        async Coroutine Main()
        {
            var a = loop.CreateTask(Wait(notEmpty, "not-empty"));
            var b = loop.CreateTask(Wait(notFull, "not-full"));
            await Asyncio.Yield();
            using (await notFull.Hold())
            {
                Assert.True(notEmpty.Locked());
                notEmpty.Notify();
            }
            await a;
            Assert.Equal(["not-empty"], woken);
            Assert.False(b.Done);
            using (await shared.Hold())
                notFull.NotifyAll();
            await b;
            Assert.Equal(["not-empty", "not-full"], woken);
        }
        loop.RunUntilComplete(Main());
    }
}

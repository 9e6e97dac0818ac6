using System.Runtime.CompilerServices;
using Sim.Core;
using Sim.Tests.Infrastructure;

namespace Sim.Tests.Sync;

/// <summary>
/// A queue, lock or semaphore keeps the last operation that finished at its await (its result
/// read) and hands it out for the next call, so a stream of operations needing no wait allocates
/// nothing. What user code can see of that must stay asyncio's: a coroutine awaited twice raises,
/// an operation that waited is never handed out again, nothing queued is kept alive by the spare,
/// and a loop in debug mode sees a new coroutine per call.
/// </summary>
[Trait("Category", "Unit")]
public sealed class SpareOperationTests
{
    [Fact]
    public void FinishedAtTheAwait_TheNextCallReusesTheOperation()
    {
        var loop = TestLoops.NewLoop();
        async Coroutine Main()
        {
            var queue = new LoopQueue<int>();
            var put = queue.Put(1);
            await put;
            var nextPut = queue.Put(2);
            Assert.Same(put, nextPut);
            await nextPut;

            var get = queue.Get();
            Assert.Equal(1, await get);
            var nextGet = queue.Get();
            Assert.Same(get, nextGet);
            Assert.Equal(2, await nextGet);

            var gate = new LoopLock();
            var acquire = gate.Acquire();
            await acquire;
            gate.Release();
            Assert.Same(acquire, gate.Acquire());

            var units = new LoopSemaphore(2);
            var take = units.Acquire();
            await take;
            Assert.Same(take, units.Acquire());
        }
        loop.RunUntilComplete(Main());
    }

    [Fact]
    public void AnOperationAwaitedTwice_StillRaises()
    {
        var loop = TestLoops.NewLoop();
        async Coroutine Main()
        {
            var queue = new LoopQueue<string>();
            queue.PutNowait("a");
            var get = queue.Get();
            Assert.Equal("a", await get);
            // Kept as the queue's spare, but still claimed: asyncio's RuntimeError.
            var error = await Assert.ThrowsAsync<InvalidOperationException>(async () => await get);
            Assert.Contains("cannot reuse already awaited coroutine", error.Message, StringComparison.Ordinal);
        }
        loop.RunUntilComplete(Main());
    }

    [Fact]
    public void AStaleOperationAwaitedAfterTheNextCall_RunsThatCall_AndItsOwnerGetsTheError()
    {
        // The ValueTask contract: await an operation once. This pins what breaking it does.
        var loop = TestLoops.NewLoop();
        async Coroutine Main()
        {
            var queue = new LoopQueue<int>();
            queue.PutNowait(1);
            queue.PutNowait(2);
            var stale = queue.Get();
            Assert.Equal(1, await stale);
            var next = queue.Get();
            Assert.Same(stale, next);
            Assert.Equal(2, await stale);
            var error = await Assert.ThrowsAsync<InvalidOperationException>(async () => await next);
            Assert.Contains("cannot reuse already awaited coroutine", error.Message, StringComparison.Ordinal);
        }
        loop.RunUntilComplete(Main());
    }

    [Fact]
    public void TwoOperationsCreatedBeforeEitherIsAwaited_AreDistinctAndBothWork()
    {
        var loop = TestLoops.NewLoop();
        async Coroutine Main()
        {
            var queue = new LoopQueue<int>();
            queue.PutNowait(0);
            await queue.Get();
            var first = queue.Get();
            var second = queue.Get();
            Assert.NotSame(first, second);
            queue.PutNowait(1);
            queue.PutNowait(2);
            // Coroutines are lazy: the first one awaited takes the first item.
            Assert.Equal(1, await second);
            Assert.Equal(2, await first);
        }
        loop.RunUntilComplete(Main());
    }

    [Fact]
    public void AnOperationThatWaited_IsNotHandedOutAgain()
    {
        var loop = TestLoops.NewLoop();
        async Coroutine Producer(LoopQueue<int> queue)
        {
            await Asyncio.Sleep(0);
            queue.PutNowait(7);
        }
        async Coroutine Main()
        {
            var queue = new LoopQueue<int>();
            _ = loop.CreateTask(Producer(queue));
            var waited = queue.Get();
            Assert.Equal(7, await waited);
            Assert.NotSame(waited, queue.Get());
        }
        loop.RunUntilComplete(Main());
    }

    [Fact]
    public void AnOperationWrappedInATask_IsNotHandedOutAgain()
    {
        var loop = TestLoops.NewLoop();
        async Coroutine Main()
        {
            var queue = new LoopQueue<int>();
            queue.PutNowait(1);
            var get = queue.Get();
            Assert.Equal(1, await loop.CreateTask(get));
            Assert.NotSame(get, queue.Get());
        }
        loop.RunUntilComplete(Main());
    }

    [Fact]
    public void InDebugMode_EveryCallIsANewCoroutine()
    {
        var loop = TestLoops.NewLoop();
        loop.Debug = true;
        async Coroutine Main()
        {
            var queue = new LoopQueue<int>();
            queue.PutNowait(1);
            var get = queue.Get();
            await get;
            var next = queue.Get();
            Assert.NotSame(get, next);
            queue.PutNowait(2);
            await next;
        }
        loop.RunUntilComplete(Main());
    }

    [Fact]
    public void TheSpares_DoNotKeepTheItemsAlive()
    {
        var loop = TestLoops.NewLoop();
        var queue = new LoopQueue<object>();
        var handedThrough = loop.RunUntilComplete(PutAndGetOne(queue));
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        Assert.False(handedThrough.IsAlive, "the queue's spare put or get still holds the item");
        GC.KeepAlive(queue);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static async Coroutine<WeakReference> PutAndGetOne(LoopQueue<object> queue)
    {
        var item = new object();
        await queue.Put(item);
        await queue.Get();
        return new WeakReference(item);
    }

    [Fact]
    public void OperationsFinishingAtTheirAwait_AllocateNothingInTheSteadyState()
    {
        var loop = TestLoops.NewLoop();
        long allocated = -1;
        async Coroutine Main()
        {
            var queue = new LoopQueue<int>();
            var gate = new LoopLock();
            async Coroutine Round(int i)
            {
                await queue.Put(i);
                await queue.Get();
                await gate.Acquire();
                gate.Release();
            }
            for (var i = 0; i < 100; i++)
                await Round(i);
            var before = GC.GetAllocatedBytesForCurrentThread();
            for (var i = 0; i < 10_000; i++)
            {
                await queue.Put(i);
                await queue.Get();
                await gate.Acquire();
                gate.Release();
            }
            allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        }
        loop.RunUntilComplete(Main());
        Assert.Equal(0, allocated);
    }
}

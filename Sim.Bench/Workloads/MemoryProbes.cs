using Sim.Core;

namespace Sim.Bench.Workloads;

/// <summary>Allocation and memory figures the issues set targets for.</summary>
internal static class MemoryProbes
{
    /// <summary>Bytes allocated per CallSoon with the state overload (callbacks run included).</summary>
    public static double BytesPerCallSoon(int n)
    {
        var loop = LoopWorkloads.NewLoop();
        var state = new object();
        Action<object> callback = static _ => { };
        // Warm up: grow the ready queue to its working size and JIT the paths.
        for (var i = 0; i < n; i++)
            loop.CallSoon(callback, state);
        loop.CallSoon(loop.Stop);
        loop.RunForever();
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < n; i++)
            loop.CallSoon(callback, state);
        loop.CallSoon(loop.Stop);
        loop.RunForever();
        return (GC.GetAllocatedBytesForCurrentThread() - before) / (double)n;
    }

    /// <summary>Retained bytes per task suspended in a long sleep, over <paramref name="n"/> tasks.</summary>
    public static double BytesPerSleepingTask(int n)
    {
        var loop = LoopWorkloads.NewLoop();
        var tasks = new LoopTask<Unit>[n];
        static async Coroutine Sleeper() => await Asyncio.Sleep(1000);
        // One task first so every type and path is initialised before measuring.
        loop.CreateTask(Sleeper());
        loop.CallSoon(loop.Stop);
        loop.RunForever();
        var before = GC.GetTotalMemory(forceFullCollection: true);
        for (var i = 0; i < n; i++)
            tasks[i] = loop.CreateTask(Sleeper());
        loop.CallSoon(loop.Stop);
        loop.RunForever();
        var after = GC.GetTotalMemory(forceFullCollection: true);
        GC.KeepAlive(tasks);
        return (after - before) / (double)n;
    }

    /// <summary>Bytes allocated per coroutine by a <c>Gather</c> of <paramref name="n"/> trivial coroutines (the coroutines included).</summary>
    public static double BytesPerGatheredCoroutine(int n)
    {
#pragma warning disable CS1998 // async method without await: the anchor's trivial coroutine never suspends either
        static async Coroutine<int> Trivial(int i) => i;
#pragma warning restore CS1998
        static async Coroutine GatherAll(int n)
        {
            var coroutines = new Coroutine<int>[n];
            for (var i = 0; i < n; i++)
                coroutines[i] = Trivial(i);
            await Asyncio.Gather(coroutines);
        }
        LoopWorkloads.NewLoop().RunUntilComplete(GatherAll(1_000));
        var loop = LoopWorkloads.NewLoop();
        var before = GC.GetAllocatedBytesForCurrentThread();
        loop.RunUntilComplete(GatherAll(n));
        return (GC.GetAllocatedBytesForCurrentThread() - before) / (double)n;
    }
}

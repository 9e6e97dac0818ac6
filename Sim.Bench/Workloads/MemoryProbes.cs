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
}

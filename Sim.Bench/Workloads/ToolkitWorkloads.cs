using Sim.Core;
using Sim.Net;

namespace Sim.Bench.Workloads;

/// <summary>
/// The workloads of bench/toolkit_micro.py (issue 3's benchmarks), written the same way on
/// SimLoop's simulated backend: ops/s compare one to one with CPython asyncio and uvloop.
/// </summary>
internal static class ToolkitWorkloads
{
    public static readonly string[] Names = ["handoff", "sleepers"];

    public static bool Knows(string workload) => Names.Contains(workload);

    public static void Run(string workload, EventLoop loop, int n)
    {
        switch (workload)
        {
            case "handoff": loop.RunUntilComplete(Handoff(n)); break;
            case "sleepers": loop.RunUntilComplete(Sleepers(n)); break;
            default: throw new ArgumentException($"unknown workload '{workload}'; known: {string.Join(", ", Names)}");
        }
    }

    /// <summary>A queue between two tasks: the producer yields every 64 items.</summary>
    private static async Coroutine Handoff(int n)
    {
        var queue = new LoopQueue<int>();
        async Coroutine Consumer()
        {
            for (var i = 0; i < n; i++)
                await queue.Get();
        }
        var consumer = Asyncio.GetRunningLoop().CreateTask(Consumer());
        for (var i = 0; i < n; i++)
        {
            await queue.Put(i);
            if (i % 64 == 0)
                await Asyncio.Sleep(0);
        }
        await consumer;
    }

    /// <summary>n concurrent sleepers with seeded random delays in [0, 1) s of virtual time.</summary>
    private static async Coroutine Sleepers(int n)
    {
        var loop = Asyncio.GetRunningLoop();
        var random = new SeededChoices(1);
        var sleepers = new LoopTask<Unit>[n];
        for (var i = 0; i < n; i++)
            sleepers[i] = loop.CreateTask(Asyncio.Sleep(random.NextDouble()));
        foreach (var sleeper in sleepers)
            await sleeper;
    }
}

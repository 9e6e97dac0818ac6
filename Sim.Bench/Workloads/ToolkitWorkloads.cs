using Sim.Core;
using Sim.Net;

namespace Sim.Bench.Workloads;

/// <summary>
/// The workloads of bench/toolkit_micro.py (issue 3's benchmarks), written the same way on
/// SimLoop's simulated backend: ops/s compare one to one with CPython asyncio and uvloop.
/// </summary>
internal static class ToolkitWorkloads
{
    public static readonly string[] Names = ["handoff", "gather", "lock", "sleepers"];

    public static bool Knows(string workload) => Names.Contains(workload);

    public static void Run(string workload, EventLoop loop, int n)
    {
        switch (workload)
        {
            case "handoff": loop.RunUntilComplete(Handoff(n)); break;
            case "gather": loop.RunUntilComplete(Gather(n)); break;
            case "lock": loop.RunUntilComplete(Lock(n)); break;
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

    /// <summary>Gather of n trivial coroutines.</summary>
    private static async Coroutine Gather(int n)
    {
        // The anchor's `async def trivial(i): return i` never suspends either.
#pragma warning disable CS1998 // async method without await
        static async Coroutine<int> Trivial(int i) => i;
#pragma warning restore CS1998
        var coroutines = new Coroutine<int>[n];
        for (var i = 0; i < n; i++)
            coroutines[i] = Trivial(i);
        var results = await Asyncio.Gather(coroutines);
        if (results.Length != n)
            throw new InvalidOperationException($"gather returned {results.Length} of {n}");
    }

    /// <summary>100 tasks contend for one lock, n acquisitions in all, each holding it across a yield.</summary>
    private static async Coroutine Lock(int n)
    {
        const int Tasks = 100;
        var perTask = n / Tasks;
        var gate = new LoopLock();
        var count = 0;
        async Coroutine<int> Worker()
        {
            for (var i = 0; i < perTask; i++)
            {
                await gate.Acquire();
                try
                {
                    count++;
                    await Asyncio.Sleep(0);
                }
                finally
                {
                    gate.Release();
                }
            }
            return 0;
        }
        var workers = new Coroutine<int>[Tasks];
        for (var i = 0; i < Tasks; i++)
            workers[i] = Worker();
        await Asyncio.Gather(workers);
        if (count != perTask * Tasks)
            throw new InvalidOperationException($"the lock was taken {count} times of {perTask * Tasks}");
    }

    /// <summary>n concurrent sleepers with seeded random delays in [0, 1) s of virtual time, gathered.</summary>
    private static async Coroutine Sleepers(int n)
    {
        var random = new SeededChoices(1);
        var sleepers = new Coroutine<Unit>[n];
        for (var i = 0; i < n; i++)
            sleepers[i] = Asyncio.Sleep(random.NextDouble());
        await Asyncio.Gather(sleepers);
    }
}

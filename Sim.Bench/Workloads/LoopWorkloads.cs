using Sim.Core;
using Sim.Net;

namespace Sim.Bench.Workloads;

/// <summary>
/// The workloads of ../shared/bench/loop_micro.py, written the same way on SimLoop's simulated
/// backend, so ops/s compare one to one with CPython asyncio and uvloop.
/// </summary>
internal static class LoopWorkloads
{
    public static readonly string[] Names = ["chain", "batch", "timers", "pingpong"];

    public static EventLoop NewLoop() =>
        new Simulation(1, new SimulationOptions { TraceCallbacks = false, Network = new NetworkOptions { TraceSegments = false } }).Loop;

    public static void Run(string workload, EventLoop loop, int n)
    {
        switch (workload)
        {
            case "chain": Chain(loop, n); break;
            case "batch": Batch(loop, n); break;
            case "timers": Timers(loop, n); break;
            case "pingpong": PingPong(loop, n); break;
            default: throw new ArgumentException($"unknown workload '{workload}'; known: {string.Join(", ", Names)}");
        }
    }

    /// <summary>Each callback schedules the next: one callback per iteration.</summary>
    public static void Chain(EventLoop loop, int n)
    {
        var state = new ChainState(loop, n);
        loop.CallSoon(ChainState.Step, state);
        loop.RunForever();
    }

    /// <summary>n callbacks queued at once, then run in one iteration.</summary>
    public static void Batch(EventLoop loop, int n)
    {
        var counter = new Counter();
        for (var i = 0; i < n; i++)
            loop.CallSoon(Counter.Increment, counter);
        loop.CallSoon(loop.Stop);
        loop.RunForever();
        if (counter.Value != n)
            throw new InvalidOperationException($"batch ran {counter.Value} of {n}");
    }

    /// <summary>n timers at random past deadlines, popped from the heap in order.</summary>
    public static void Timers(EventLoop loop, int n)
    {
        var random = new SeededChoices(1);
        var start = loop.Time() - 1000.0;
        var counter = new StopAt(loop, n);
        for (var i = 0; i < n; i++)
            loop.CallAt(start + random.NextDouble() * 100.0, StopAt.Tick, counter);
        loop.RunForever();
    }

    /// <summary>Two tasks hand n values back and forth through two queues.</summary>
    public static void PingPong(EventLoop loop, int n)
    {
        async Coroutine Main()
        {
            var q1 = new LoopQueue<int>();
            var q2 = new LoopQueue<int>();
            async Coroutine Ponger()
            {
                for (var i = 0; i < n; i++)
                {
                    var v = await q1.Get();
                    q2.PutNowait(v + 1);
                }
            }
            var ponger = loop.CreateTask(Ponger());
            for (var i = 0; i < n; i++)
            {
                q1.PutNowait(i);
                await q2.Get();
            }
            await ponger;
        }
        loop.RunUntilComplete(Main());
    }

    private sealed class ChainState(EventLoop loop, int left)
    {
        public static void Step(ChainState s)
        {
            if (--s._left > 0)
                s._loop.CallSoon(Step, s);
            else
                s._loop.Stop();
        }

        private readonly EventLoop _loop = loop;
        private int _left = left;
    }

    private sealed class Counter
    {
        public static void Increment(Counter c) => c.Value++;

        public int Value;
    }

    private sealed class StopAt(EventLoop loop, int target)
    {
        public static void Tick(StopAt s)
        {
            if (++s._count == s._target)
                s._loop.Stop();
        }

        private readonly EventLoop _loop = loop;
        private readonly int _target = target;
        private int _count;
    }
}

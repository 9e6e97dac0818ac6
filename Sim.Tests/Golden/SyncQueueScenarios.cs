using Sim.Core;
using static Sim.Tests.Golden.SyncScenarios;

namespace Sim.Tests.Golden;

/// <summary>C# twins of the queue scenarios (Scenarios/sync_13 to sync_19).</summary>
internal static class SyncQueueScenarios
{
    [Golden("sync_13_queue_nowait")]
    public static void QueueNowait(GoldenContext g)
    {
        async Coroutine Main()
        {
            var q = new LoopQueue<string>(maxsize: 2);
            g.Print("maxsize:", q.Maxsize, "qsize:", q.Qsize(), "empty:", q.Empty(), "full:", q.Full());
            try
            {
                q.GetNowait();
            }
            catch (QueueEmptyException e)
            {
                g.Print("get_nowait on empty:", PythonName(e));
            }
            q.PutNowait("a");
            q.PutNowait("b");
            g.Print("qsize:", q.Qsize(), "empty:", q.Empty(), "full:", q.Full());
            try
            {
                q.PutNowait("c");
            }
            catch (QueueFullException e)
            {
                g.Print("put_nowait on full:", PythonName(e));
            }
            g.Print("got", q.GetNowait(), q.GetNowait());
            g.Print("qsize:", q.Qsize(), "empty:", q.Empty(), "full:", q.Full());
            foreach (var maxsize in new[] { 0, -1 })
            {
                var unbounded = new LoopQueue<int>(maxsize);
                for (var i = 0; i < 1000; i++)
                    unbounded.PutNowait(i);
                g.Print("maxsize", maxsize, "holds", unbounded.Qsize(), "full:", unbounded.Full());
            }
            var numbers = new LoopQueue<int>(maxsize: 2);
            numbers.PutNowait(1);
            g.Print("put awaits nothing when there is room:", await numbers.Put(2), numbers.Qsize());
            g.Print("get awaits nothing when there is an item:", await numbers.Get(), await numbers.Get());
        }
        g.Loop.RunUntilComplete(Main());
    }

    [Golden("sync_14_queue_join")]
    public static void QueueJoin(GoldenContext g)
    {
        async Coroutine Worker(LoopQueue<int> q, string name, List<(string, int)> log)
        {
            while (true)
            {
                var item = await q.Get();
                await Asyncio.Sleep(item / 10.0);
                log.Add((name, item));
                g.Print(name, "done with", item);
                q.TaskDone();
            }
        }
        async Coroutine Main()
        {
            var q = new LoopQueue<int>();
            await q.Join();
            g.Print("join on a fresh queue returns at once");
            var log = new List<(string, int)>();
            var workers = new[] { "w1", "w2" }.Select(n => g.Loop.CreateTask(Worker(q, n, log))).ToList();
            foreach (var item in new[] { 5, 1, 2, 1 })
                q.PutNowait(item);
            g.Print("joining");
            await q.Join();
            g.Print("joined after", log.Count, "items; qsize:", q.Qsize());
            foreach (var w in workers)
                w.Cancel();
            foreach (var w in workers)
            {
                try
                {
                    await w;
                }
                catch (CancelledError)
                {
                    // The workers loop until cancelled.
                }
            }
            q.PutNowait(0);
            q.GetNowait();
            q.TaskDone();
            try
            {
                q.TaskDone();
            }
            catch (InvalidOperationException)
            {
                g.Print("task_done too many times raises");
            }
        }
        g.Loop.RunUntilComplete(Main());
    }

    [Golden("sync_15_producer_consumer")]
    public static void ProducerConsumer(GoldenContext g)
    {
        async Coroutine Producer(LoopQueue<string> q, string name, string[] items, double delay)
        {
            foreach (var item in items)
            {
                await Asyncio.Sleep(delay);
                g.Print(name, "puts", item, "; full:", q.Full());
                await q.Put(item);
                g.Print(name, "put", item, "; qsize:", q.Qsize());
            }
        }
        async Coroutine Consumer(LoopQueue<string> q, string name, double delay, List<string> seen)
        {
            while (true)
            {
                var item = await q.Get();
                g.Print(name, "got", item);
                seen.Add(item);
                await Asyncio.Sleep(delay);
                q.TaskDone();
            }
        }
        async Coroutine Main()
        {
            var loop = g.Loop;
            var q = new LoopQueue<string>(2);
            var seen = new List<string>();
            var producers = new[]
            {
                loop.CreateTask(Producer(q, "p1", ["a1", "a2", "a3", "a4"], 0.01)),
                loop.CreateTask(Producer(q, "p2", ["b1", "b2", "b3"], 0.013)),
            };
            var consumers = new[]
            {
                loop.CreateTask(Consumer(q, "c1", 0.07, seen)),
                loop.CreateTask(Consumer(q, "c2", 0.11, seen)),
            };
            foreach (var p in producers)
                await p;
            g.Print("producers done; qsize:", q.Qsize());
            await q.Join();
            g.Print("joined; seen:", seen);
            foreach (var c in consumers)
                c.Cancel();
            foreach (var c in consumers)
            {
                try
                {
                    await c;
                }
                catch (CancelledError)
                {
                    // The consumers loop until cancelled.
                }
            }
            g.Print("sorted:", seen.Order(StringComparer.Ordinal).ToList());
        }
        g.Loop.RunUntilComplete(Main());
    }

    [Golden("sync_16_queue_cancel_waiters")]
    public static void QueueCancelWaiters(GoldenContext g)
    {
        async Coroutine Getter(LoopQueue<string> q, string name)
        {
            string item;
            try
            {
                item = await q.Get();
            }
            catch (CancelledError)
            {
                g.Print(name, "cancelled; qsize:", q.Qsize());
                throw;
            }
            g.Print(name, "got", item);
        }
        async Coroutine Putter(LoopQueue<string> q, string name, string item)
        {
            try
            {
                await q.Put(item);
            }
            catch (CancelledError)
            {
                g.Print(name, "cancelled; qsize:", q.Qsize());
                throw;
            }
            g.Print(name, "put", item);
        }
        async Coroutine Settle(List<(string Name, LoopTask<Unit> Task)> tasks)
        {
            foreach (var (name, t) in tasks)
            {
                try
                {
                    await t;
                }
                catch (CancelledError)
                {
                    g.Print(name, "was cancelled");
                }
            }
        }
        async Coroutine Main()
        {
            var loop = g.Loop;
            var q = new LoopQueue<string>(1);
            var getters = new[] { "g1", "g2", "g3", "g4" }.Select(n => (Name: n, Task: loop.CreateTask(Getter(q, n)))).ToList();
            await Asyncio.Sleep(0);
            getters[1].Task.Cancel();
            q.PutNowait("x");
            getters[0].Task.Cancel();
            g.Print("put x, cancelled g1 after it was woken");
            await Asyncio.Sleep(0);
            g.Print("g1 passed its wake-up on; qsize:", q.Qsize());
            await Asyncio.Sleep(0);
            q.PutNowait("y");
            await Settle(getters);
            g.Print("qsize:", q.Qsize());

            q.PutNowait("full");
            var putters = new[] { "p1", "p2", "p3" }.Select(n => (Name: n, Task: loop.CreateTask(Putter(q, n, n + "-item")))).ToList();
            await Asyncio.Sleep(0);
            g.Print("got", q.GetNowait(), "; p1 woken, then cancelled");
            putters[0].Task.Cancel();
            await Asyncio.Sleep(0);
            await Asyncio.Sleep(0);
            g.Print("qsize:", q.Qsize(), "; p3 still waiting:", !putters[2].Task.Done);
            g.Print("got", q.GetNowait());
            await Settle(putters);
            g.Print("left:", q.GetNowait(), "; qsize:", q.Qsize());
        }
        g.Loop.RunUntilComplete(Main());
    }

    [Golden("sync_17_queue_shutdown")]
    public static void QueueShutdown(GoldenContext g)
    {
        async Coroutine Getter<T>(LoopQueue<T> q, string name)
        {
            try
            {
                while (true)
                    g.Print(name, "got", await q.Get());
            }
            catch (QueueShutDownException e)
            {
                g.Print(name, "raised", PythonName(e), "; qsize:", q.Qsize());
            }
        }
        async Coroutine Putter<T>(LoopQueue<T> q, string name, T item)
        {
            try
            {
                await q.Put(item);
                g.Print(name, "put", item);
            }
            catch (QueueShutDownException e)
            {
                g.Print(name, "raised", PythonName(e));
            }
        }
        async Coroutine Joiner<T>(LoopQueue<T> q, string name)
        {
            await q.Join();
            g.Print(name, "joined");
        }
        async Coroutine Main()
        {
            var loop = g.Loop;
            g.Print("-- shutdown: getters drain, then raise");
            var q = new LoopQueue<int>();
            var getters = new[] { "g1", "g2" }.Select(n => loop.CreateTask(Getter(q, n))).ToList();
            await Asyncio.Sleep(0);
            q.Shutdown();
            foreach (var t in getters)
                await t;
            var q2 = new LoopQueue<int>(2);
            q2.PutNowait(1);
            q2.PutNowait(2);
            var blocked = loop.CreateTask(Putter(q2, "p", 3));
            await Asyncio.Sleep(0);
            q2.Shutdown();
            var attempts = new Func<object?>[] { () => { q2.PutNowait(4); return null; }, () => q2.GetNowait(), () => q2.GetNowait(), () => q2.GetNowait() };
            foreach (var attempt in attempts)
            {
                try
                {
                    g.Print("got", attempt());
                }
                catch (QueueShutDownException e)
                {
                    g.Print("raised", PythonName(e));
                }
            }
            await blocked;
            await Putter(q2, "late", 5);
            q2.TaskDone();
            q2.TaskDone();
            await q2.Join();
            g.Print("join returns once both items are done");

            g.Print("-- shutdown(immediate=True): items dropped, join released");
            var q3 = new LoopQueue<string>(2);
            q3.PutNowait("a");
            q3.PutNowait("b");
            g.Print("got", q3.GetNowait());
            var joiner = loop.CreateTask(Joiner(q3, "j1"));
            var putters = new[] { "x", "y" }.Select(n => loop.CreateTask(Putter(q3, n, n))).ToList();
            await Asyncio.Sleep(0);
            q3.Shutdown(immediate: true);
            g.Print("qsize:", q3.Qsize(), "empty:", q3.Empty());
            foreach (var t in putters)
                await t;
            g.Print("j1 still waiting (a is not done):", !joiner.Done);
            q3.TaskDone();
            await joiner;
            await Getter(q3, "g3");
            try
            {
                q3.TaskDone();
            }
            catch (InvalidOperationException)
            {
                g.Print("task_done after the count reached zero raises");
            }
        }
        g.Loop.RunUntilComplete(Main());
    }

    private sealed record Job(int Priority, string Name);

    private sealed class ByPriority : IComparer<Job>
    {
        public static readonly ByPriority Instance = new();

        public int Compare(Job? x, Job? y) => x!.Priority.CompareTo(y!.Priority);
    }

    [Golden("sync_18_priority_queue")]
    public static void PriorityQueue(GoldenContext g)
    {
        async Coroutine Main()
        {
            var loop = g.Loop;
            var q = new LoopPriorityQueue<Job>(comparer: ByPriority.Instance);
            foreach (var (priority, name) in new[] { (3, "low"), (1, "urgent"), (2, "normal-a"), (1, "urgent-b"), (2, "normal-b"), (0, "now") })
                q.PutNowait(new Job(priority, name));
            g.Print("qsize:", q.Qsize());
            while (!q.Empty())
            {
                var job = q.GetNowait();
                g.Print("priority", job.Priority, job.Name);
            }
            async Coroutine Take(string name)
            {
                var job = await q.Get();
                g.Print(name, "got", job.Name, "priority", job.Priority);
            }
            var waiting = loop.CreateTask(Take("waiter"));
            await Asyncio.Sleep(0);
            q.PutNowait(new Job(5, "first-put"));
            q.PutNowait(new Job(0, "second-put"));
            await waiting;
            g.Print("left:", q.GetNowait().Name);

            var bounded = new LoopPriorityQueue<Job>(2, ByPriority.Instance);
            async Coroutine Put(int priority, string name)
            {
                await bounded.Put(new Job(priority, name));
                g.Print("put", name);
            }
            bounded.PutNowait(new Job(9, "nine"));
            bounded.PutNowait(new Job(4, "four"));
            var putters = new[] { (1, "one"), (7, "seven") }.Select(p => loop.CreateTask(Put(p.Item1, p.Item2))).ToList();
            await Asyncio.Sleep(0);
            g.Print("full:", bounded.Full());
            for (var i = 0; i < 4; i++)
            {
                g.Print("got", (await bounded.Get()).Name);
                await Asyncio.Sleep(0);
            }
            foreach (var t in putters)
                await t;
        }
        g.Loop.RunUntilComplete(Main());
    }

    [Golden("sync_19_lifo_queue")]
    public static void LifoQueue(GoldenContext g)
    {
        async Coroutine Main()
        {
            var loop = g.Loop;
            var q = new LoopLifoQueue<string>();
            foreach (var item in new[] { "a", "b", "c", "d" })
                q.PutNowait(item);
            g.Print("got", q.GetNowait(), q.GetNowait());
            q.PutNowait("e");
            g.Print("then", Enumerable.Range(0, q.Qsize()).Select(_ => q.GetNowait()).ToList());
            async Coroutine Take(string name)
            {
                g.Print(name, "got", await q.Get());
            }
            var getters = new[] { "g1", "g2" }.Select(n => loop.CreateTask(Take(n))).ToList();
            await Asyncio.Sleep(0);
            q.PutNowait("x");
            q.PutNowait("y");
            q.PutNowait("z");
            foreach (var t in getters)
                await t;
            g.Print("left:", q.GetNowait(), "empty:", q.Empty());

            var bounded = new LoopLifoQueue<string>(1);
            bounded.PutNowait("only");
            var blocked = loop.CreateTask(bounded.Put("next"));
            await Asyncio.Sleep(0);
            g.Print("full:", bounded.Full(), "; blocked put done:", blocked.Done);
            g.Print("got", await bounded.Get());
            await blocked;
            g.Print("got", await bounded.Get());
        }
        g.Loop.RunUntilComplete(Main());
    }
}

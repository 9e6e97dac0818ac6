using Sim.Core;

namespace Sim.Tests.Golden;

/// <summary>C# twins of the lock, event, condition and semaphore scenarios
/// (Scenarios/sync_01 to sync_09, sync_20); the barrier and queue twins are in
/// <see cref="SyncBarrierScenarios"/> and <see cref="SyncQueueScenarios"/>.</summary>
internal static class SyncScenarios
{
    /// <summary>The name CPython gives the exception the twin caught: asyncio's names for the
    /// sync and queue exceptions, <c>ValueError</c> for .NET's argument and semaphore errors.</summary>
    public static string PythonName(Exception exception) => exception switch
    {
        BrokenBarrierException => "BrokenBarrierError",
        QueueShutDownException => "QueueShutDown",
        QueueEmptyException => "QueueEmpty",
        QueueFullException => "QueueFull",
        ArgumentException or SemaphoreFullException => "ValueError",
        _ => GoldenContext.PythonName(exception),
    };

    [Golden("sync_01_lock_fifo")]
    public static void LockFifo(GoldenContext g)
    {
        async Coroutine Worker(LoopLock lk, string name, List<string> log)
        {
            g.Print(name, "wants the lock; locked:", lk.Locked());
            using (await lk.Hold())
            {
                g.Print(name, "holds the lock");
                log.Add(name);
                await Asyncio.Sleep(0);
                g.Print(name, "releases");
            }
            g.Print(name, "done");
        }
        async Coroutine Main()
        {
            var lk = new LoopLock();
            g.Print("fresh lock locked:", lk.Locked());
            try
            {
                lk.Release();
            }
            catch (InvalidOperationException e)
            {
                g.Print("release unlocked:", PythonName(e));
            }
            g.Print("acquire:", await lk.Acquire(), "locked:", lk.Locked());
            var log = new List<string>();
            var tasks = new[] { "a", "b", "c" }.Select(n => g.Loop.CreateTask(Worker(lk, n, log))).ToList();
            await Asyncio.Sleep(0);
            g.Print("main releases");
            lk.Release();
            g.Print("locked right after release:", lk.Locked());
            await lk.Acquire();
            g.Print("main has the lock again after", log);
            lk.Release();
            foreach (var t in tasks)
                await t;
            g.Print("order:", log, "locked:", lk.Locked());
        }
        g.Loop.RunUntilComplete(Main());
    }

    [Golden("sync_02_lock_fairness_cancel")]
    public static void LockFairnessCancel(GoldenContext g)
    {
        async Coroutine Worker(LoopLock lk, string name, List<string> log)
        {
            try
            {
                await lk.Acquire();
            }
            catch (CancelledError)
            {
                g.Print(name, "cancelled while waiting; locked:", lk.Locked());
                throw;
            }
            try
            {
                g.Print(name, "holds the lock");
                log.Add(name);
                await Asyncio.Sleep(0);
            }
            finally
            {
                lk.Release();
            }
        }
        async Coroutine Main()
        {
            var loop = g.Loop;
            var lk = new LoopLock();
            var log = new List<string>();
            await lk.Acquire();
            var tasks = new[] { "w1", "w2", "w3", "w4" }.Select(n => (Name: n, Task: loop.CreateTask(Worker(lk, n, log)))).ToList();
            await Asyncio.Sleep(0);
            g.Print("cancel w2 while it waits");
            tasks[1].Task.Cancel();
            await Asyncio.Sleep(0);
            g.Print("release: wakes w1");
            lk.Release();
            g.Print("locked:", lk.Locked());
            g.Print("cancel w1 after it was woken");
            tasks[0].Task.Cancel();
            var late = loop.CreateTask(Worker(lk, "late", log));
            await Asyncio.Sleep(0);
            g.Print("after one iteration: locked:", lk.Locked(), "log:", log);
            tasks.Add(("late", late));
            foreach (var (name, t) in tasks)
            {
                try
                {
                    await t;
                    g.Print(name, "finished");
                }
                catch (CancelledError)
                {
                    g.Print(name, "was cancelled");
                }
            }
            g.Print("order:", log, "locked:", lk.Locked());
        }
        g.Loop.RunUntilComplete(Main());
    }

    [Golden("sync_03_event_set_clear")]
    public static void EventSetClear(GoldenContext g)
    {
        async Coroutine Waiter(LoopEvent evt, string name)
        {
            bool result;
            try
            {
                result = await evt.Wait();
            }
            catch (CancelledError)
            {
                g.Print(name, "cancelled; event set:", evt.IsSet);
                throw;
            }
            g.Print(name, "woke with", result, "; event set now:", evt.IsSet);
        }
        async Coroutine Main()
        {
            var loop = g.Loop;
            var evt = new LoopEvent();
            var first = new[] { "a", "b", "c" }.Select(n => loop.CreateTask(Waiter(evt, n))).ToList();
            await Asyncio.Sleep(0);
            evt.Set();
            evt.Clear();
            g.Print("set then clear; is_set:", evt.IsSet);
            first[1].Cancel();
            var second = loop.CreateTask(Waiter(evt, "d"));
            await Asyncio.Sleep(0);
            await Asyncio.Sleep(0);
            g.Print("d still waiting:", !second.Done);
            evt.Set();
            g.Print("wait on set event:", await evt.Wait());
            foreach (var t in first.Append(second))
            {
                try
                {
                    await t;
                }
                catch (CancelledError)
                {
                    g.Print("a waiter was cancelled");
                }
            }
            g.Print("all done; set:", evt.IsSet);
        }
        g.Loop.RunUntilComplete(Main());
    }

    [Golden("sync_04_condition_notify_order")]
    public static void ConditionNotifyOrder(GoldenContext g)
    {
        async Coroutine Waiter(LoopCondition cond, string name, List<string> log)
        {
            using (await cond.Hold())
            {
                g.Print(name, "waits");
                var result = await cond.Wait();
                g.Print(name, "woke holding the lock:", cond.Locked(), "wait returned", result);
                log.Add(name);
                await Asyncio.Sleep(0);
                g.Print(name, "leaves");
            }
        }
        async Coroutine Main()
        {
            var cond = new LoopCondition();
            var log = new List<string>();
            var tasks = new[] { "w1", "w2", "w3", "w4", "w5" }.Select(n => g.Loop.CreateTask(Waiter(cond, n, log))).ToList();
            await Asyncio.Sleep(0);
            using (await cond.Hold())
            {
                g.Print("notify(2)");
                cond.Notify(2);
                await Asyncio.Sleep(0);
                g.Print("notifier still holds the lock; woken so far:", log);
            }
            await Asyncio.Sleep(0);
            await Asyncio.Sleep(0);
            await Asyncio.Sleep(0);
            g.Print("after release:", log);
            using (await cond.Hold())
            {
                g.Print("notify_all");
                cond.NotifyAll();
            }
            foreach (var t in tasks)
                await t;
            g.Print("order:", log);
            using (await cond.Hold())
            {
                cond.Notify();
                g.Print("notify with no waiter is fine");
            }
        }
        g.Loop.RunUntilComplete(Main());
    }

    private sealed class Stock
    {
        public int Items { get; set; }
    }

    [Golden("sync_05_condition_wait_for")]
    public static void ConditionWaitFor(GoldenContext g)
    {
        async Coroutine Consumer(LoopCondition cond, Stock state, string name, int need)
        {
            using (await cond.Hold())
            {
                g.Print(name, "waits for", need, "items");
                var result = await cond.WaitFor(() => state.Items >= need);
                g.Print(name, "sees", state.Items, "items; wait_for returned", result);
            }
        }
        async Coroutine Main()
        {
            var cond = new LoopCondition();
            var state = new Stock();
            try
            {
                await cond.Wait();
            }
            catch (InvalidOperationException e)
            {
                g.Print("wait without the lock:", PythonName(e));
            }
            try
            {
                cond.Notify();
            }
            catch (InvalidOperationException e)
            {
                g.Print("notify without the lock:", PythonName(e));
            }
            using (await cond.Hold())
                g.Print("already true:", await cond.WaitFor(() => state.Items == 0));
            var tasks = new[] { ("c3", 3), ("c1", 1), ("c2", 2) }.Select(c => g.Loop.CreateTask(Consumer(cond, state, c.Item1, c.Item2))).ToList();
            await Asyncio.Sleep(0);
            for (var i = 0; i < 3; i++)
            {
                using (await cond.Hold())
                {
                    state.Items++;
                    g.Print("items:", state.Items, "notify_all");
                    cond.NotifyAll();
                }
                await Asyncio.Sleep(0);
                await Asyncio.Sleep(0);
            }
            foreach (var t in tasks)
                await t;
            g.Print("done");
        }
        g.Loop.RunUntilComplete(Main());
    }

    [Golden("sync_06_condition_cancel")]
    public static void ConditionCancel(GoldenContext g)
    {
        async Coroutine Waiter(LoopCondition cond, string name)
        {
            using (await cond.Hold())
            {
                try
                {
                    await cond.Wait();
                }
                catch (CancelledError e)
                {
                    g.Print(name, "cancelled; holds the lock:", cond.Locked(), "message:", e.CancelMessage);
                    throw;
                }
                g.Print(name, "notified");
            }
        }
        async Coroutine Main()
        {
            var cond = new LoopCondition();
            var tasks = new[] { "w1", "w2", "w3", "w4" }.Select(n => (Name: n, Task: g.Loop.CreateTask(Waiter(cond, n)))).ToList();
            await Asyncio.Sleep(0);
            using (await cond.Hold())
            {
                g.Print("cancel w1 while main holds the lock");
                tasks[0].Task.Cancel("stop w1");
                await Asyncio.Sleep(0);
                await Asyncio.Sleep(0);
                g.Print("w1 done yet:", tasks[0].Task.Done);
            }
            await Asyncio.Sleep(0);
            g.Print("w1 done after main released:", tasks[0].Task.Done);
            using (await cond.Hold())
            {
                g.Print("notify(1), then cancel the notified task");
                cond.Notify(1);
                tasks[2].Task.Cancel("stop w3");
            }
            foreach (var (name, t) in tasks)
            {
                try
                {
                    await t;
                    g.Print(name, "finished");
                }
                catch (CancelledError)
                {
                    g.Print(name, "was cancelled");
                }
            }
        }
        g.Loop.RunUntilComplete(Main());
    }

    [Golden("sync_07_semaphore_fifo")]
    public static void SemaphoreFifo(GoldenContext g)
    {
        async Coroutine Worker(LoopSemaphore sem, string name, List<string> log)
        {
            g.Print(name, "arrives; locked:", sem.Locked());
            using (await sem.Hold())
            {
                log.Add(name);
                g.Print(name, "in; running:", log);
                await Asyncio.Sleep(0.1);
                log.Remove(name);
                g.Print(name, "out");
            }
        }
        async Coroutine Main()
        {
            try
            {
                _ = new LoopSemaphore(-1);
            }
            catch (ArgumentException e)
            {
                g.Print("Semaphore(-1):", PythonName(e));
            }
            var sem = new LoopSemaphore(2);
            g.Print("locked:", sem.Locked());
            var log = new List<string>();
            var tasks = new[] { "a", "b", "c", "d", "e" }.Select(n => g.Loop.CreateTask(Worker(sem, n, log))).ToList();
            await Asyncio.Sleep(0.05);
            g.Print("at 0.05: locked:", sem.Locked());
            await Asyncio.Sleep(0.1);
            g.Print("at 0.15: running:", log);
            foreach (var t in tasks)
                await t;
            g.Print("locked at the end:", sem.Locked());
            g.Print("acquire twice:", await sem.Acquire(), await sem.Acquire(), "locked:", sem.Locked());
            sem.Release();
            sem.Release();
            sem.Release();
            g.Print("an unbounded semaphore can be released above its initial value; locked:", sem.Locked());
        }
        g.Loop.RunUntilComplete(Main());
    }

    [Golden("sync_08_semaphore_cancel")]
    public static void SemaphoreCancel(GoldenContext g)
    {
        async Coroutine Worker(LoopSemaphore sem, string name)
        {
            try
            {
                await sem.Acquire();
            }
            catch (CancelledError)
            {
                g.Print(name, "cancelled while waiting; locked:", sem.Locked());
                throw;
            }
            g.Print(name, "acquired");
            await Asyncio.Sleep(0);
            sem.Release();
            g.Print(name, "released");
        }
        async Coroutine Main()
        {
            var sem = new LoopSemaphore(0);
            var tasks = new[] { "w1", "w2", "w3", "w4" }.Select(n => (Name: n, Task: g.Loop.CreateTask(Worker(sem, n)))).ToList();
            await Asyncio.Sleep(0);
            tasks[1].Task.Cancel();
            g.Print("release one unit: goes to w1");
            sem.Release();
            tasks[0].Task.Cancel();
            g.Print("w1 cancelled after being woken");
            foreach (var (name, t) in tasks)
            {
                try
                {
                    await t;
                    g.Print(name, "finished");
                }
                catch (CancelledError)
                {
                    g.Print(name, "was cancelled");
                }
            }
            g.Print("locked:", sem.Locked());
            g.Print("one unit left:", await sem.Acquire(), "locked:", sem.Locked());
        }
        g.Loop.RunUntilComplete(Main());
    }

    [Golden("sync_09_bounded_semaphore")]
    public static void BoundedSemaphore(GoldenContext g)
    {
        async Coroutine Main()
        {
            var sem = new LoopBoundedSemaphore(2);
            try
            {
                sem.Release();
            }
            catch (SemaphoreFullException e)
            {
                g.Print("release at the bound:", PythonName(e));
            }
            g.Print("locked:", sem.Locked());
            await sem.Acquire();
            await sem.Acquire();
            g.Print("both units taken; locked:", sem.Locked());
            sem.Release();
            g.Print("one back; locked:", sem.Locked());
            sem.Release();
            try
            {
                sem.Release();
            }
            catch (SemaphoreFullException e)
            {
                g.Print("third release:", PythonName(e));
            }
            g.Print("still two units:", await sem.Acquire(), await sem.Acquire(), "locked:", sem.Locked());
            try
            {
                _ = new LoopBoundedSemaphore(-1);
            }
            catch (ArgumentException e)
            {
                g.Print("BoundedSemaphore(-1):", PythonName(e));
            }
            var zero = new LoopBoundedSemaphore(0);
            try
            {
                zero.Release();
            }
            catch (SemaphoreFullException e)
            {
                g.Print("BoundedSemaphore(0).release():", PythonName(e));
            }
        }
        g.Loop.RunUntilComplete(Main());
    }

    [Golden("sync_20_lock_contention")]
    public static void LockContention(GoldenContext g)
    {
        async Coroutine Worker(LoopLock lk, Stock state, string name, List<string> order)
        {
            for (var round = 0; round < 3; round++)
            {
                try
                {
                    using (await lk.Hold())
                    {
                        order.Add(name);
                        var value = state.Items;
                        await Asyncio.Sleep(0);
                        state.Items = value + 1;
                    }
                }
                catch (CancelledError)
                {
                    g.Print(name, "cancelled in round", round, "; locked:", lk.Locked());
                    throw;
                }
                await Asyncio.Sleep(0);
            }
        }
        async Coroutine Main()
        {
            var lk = new LoopLock();
            var state = new Stock();
            var order = new List<string>();
            var names = Enumerable.Range(0, 8).Select(i => $"t{i}").ToList();
            var tasks = names.Select(n => g.Loop.CreateTask(Worker(lk, state, n, order))).ToList();
            for (var i = 0; i < 5; i++)
                await Asyncio.Sleep(0);
            g.Print("after 5 iterations:", order);
            var holder = order[^1];
            var waiting = holder != "t7" ? "t7" : "t6";
            g.Print("cancel the holder and one waiter");
            tasks[names.IndexOf(holder)].Cancel();
            tasks[names.IndexOf(waiting)].Cancel();
            var finished = 0;
            foreach (var t in tasks)
            {
                try
                {
                    await t;
                    finished++;
                }
                catch (CancelledError)
                {
                    // Counted by what is left.
                }
            }
            g.Print("order:", string.Join(' ', order));
            g.Print("finished:", finished, "counter:", state.Items, "acquisitions:", order.Count, "locked:", lk.Locked());
        }
        g.Loop.RunUntilComplete(Main());
    }
}

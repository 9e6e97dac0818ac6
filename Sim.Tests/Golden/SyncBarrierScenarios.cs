using Sim.Core;
using static Sim.Tests.Golden.SyncScenarios;

namespace Sim.Tests.Golden;

/// <summary>C# twins of the barrier scenarios (Scenarios/sync_10 to sync_12).</summary>
internal static class SyncBarrierScenarios
{
    [Golden("sync_10_barrier_rounds")]
    public static void BarrierRounds(GoldenContext g)
    {
        async Coroutine Party(LoopBarrier barrier, string name, double delay)
        {
            foreach (var round in new[] { 1, 2 })
            {
                await Asyncio.Sleep(delay);
                g.Print(name, "arrives in round", round, "; waiting before:", barrier.NWaiting);
                var index = await barrier.Wait();
                g.Print(name, "passes round", round, "with index", index);
            }
        }
        async Coroutine Main()
        {
            try
            {
                _ = new LoopBarrier(0);
            }
            catch (ArgumentException e)
            {
                g.Print("Barrier(0):", PythonName(e));
            }
            var barrier = new LoopBarrier(3);
            g.Print("parties:", barrier.Parties, "n_waiting:", barrier.NWaiting, "broken:", barrier.Broken);
            var tasks = new[] { ("a", 0.3), ("b", 0.1), ("c", 0.2) }.Select(p => g.Loop.CreateTask(Party(barrier, p.Item1, p.Item2))).ToList();
            foreach (var t in tasks)
                await t;
            g.Print("n_waiting at the end:", barrier.NWaiting, "broken:", barrier.Broken);
            var single = new LoopBarrier(1);
            g.Print("Barrier(1) never blocks:", await single.Wait(), await single.Wait());
        }
        g.Loop.RunUntilComplete(Main());
    }

    [Golden("sync_11_barrier_abort")]
    public static void BarrierAbort(GoldenContext g)
    {
        async Coroutine Party(LoopBarrier barrier, string name)
        {
            try
            {
                var index = await barrier.Wait();
                g.Print(name, "passed with index", index);
            }
            catch (BrokenBarrierException e)
            {
                g.Print(name, "got", PythonName(e));
            }
            catch (CancelledError)
            {
                g.Print(name, "cancelled while waiting; n_waiting:", barrier.NWaiting);
                throw;
            }
        }
        async Coroutine Main()
        {
            var loop = g.Loop;
            var barrier = new LoopBarrier(3);
            var a = loop.CreateTask(Party(barrier, "a"));
            var b = loop.CreateTask(Party(barrier, "b"));
            await Asyncio.Sleep(0);
            g.Print("n_waiting:", barrier.NWaiting);
            b.Cancel();
            try
            {
                await b;
            }
            catch (CancelledError)
            {
                g.Print("b was cancelled; n_waiting:", barrier.NWaiting);
            }
            g.Print("abort");
            await barrier.Abort();
            g.Print("broken:", barrier.Broken, "n_waiting:", barrier.NWaiting);
            await a;
            var late = loop.CreateTask(Party(barrier, "late"));
            await late;
            await barrier.Reset();
            g.Print("after reset: broken:", barrier.Broken, "n_waiting:", barrier.NWaiting);
            var tasks = new[] { "x", "y", "z" }.Select(n => loop.CreateTask(Party(barrier, n))).ToList();
            foreach (var t in tasks)
                await t;
            g.Print("broken at the end:", barrier.Broken);
        }
        g.Loop.RunUntilComplete(Main());
    }

    [Golden("sync_12_barrier_reset_draining")]
    public static void BarrierResetDraining(GoldenContext g)
    {
        async Coroutine Party(LoopBarrier barrier, string name)
        {
            try
            {
                var index = await barrier.Wait();
                g.Print(name, "passed with index", index);
            }
            catch (BrokenBarrierException e)
            {
                g.Print(name, "got", PythonName(e));
            }
        }
        async Coroutine Main()
        {
            var barrier = new LoopBarrier(2);
            var early = g.Loop.CreateTask(Party(barrier, "early"));
            await Asyncio.Sleep(0);
            g.Print("reset with one waiting");
            await barrier.Reset();
            await early;
            g.Print("n_waiting:", barrier.NWaiting, "broken:", barrier.Broken);
            var tasks = new[] { "t1", "t2", "t3", "t4", "t5", "t6" }.Select(n => g.Loop.CreateTask(Party(barrier, n))).ToList();
            foreach (var t in tasks)
                await t;
            g.Print("n_waiting at the end:", barrier.NWaiting);
        }
        g.Loop.RunUntilComplete(Main());
    }
}

using Sim.Core;

namespace Sim.Tests.Golden;

/// <summary>wait, wait_for, as_completed and shield (Scenarios/comp_06 to comp_12).</summary>
internal static partial class CompositionScenarios
{
    private sealed class CleanupFailed(string message) : Exception(message);

    [Golden("comp_06_wait_return_when")]
    public static void WaitReturnWhen(GoldenContext g)
    {
        async Coroutine<string> Ok(string name, double delay)
        {
            await Asyncio.Sleep(delay);
            return name;
        }
        async Coroutine<string> Fail(string name, double delay)
        {
            await Asyncio.Sleep(delay);
            throw new Boom(name);
        }
        async Coroutine Main()
        {
            var loop = Asyncio.GetRunningLoop();
            var tasks = new[]
            {
                loop.CreateTask(Ok("a", 0.3), name: "a"), loop.CreateTask(Ok("b", 0.1), name: "b"),
                loop.CreateTask(Fail("c", 0.2), name: "c"), loop.CreateTask(Ok("d", 0.4), name: "d"),
            };
            var (done, pending) = await Asyncio.Wait(tasks, returnWhen: ReturnWhen.FirstCompleted);
            g.Print("first completed:", Names(done), "pending:", Names(pending));
            (done, pending) = await Asyncio.Wait(tasks, returnWhen: ReturnWhen.FirstException);
            g.Print("first exception:", Names(done), "pending:", Names(pending));
            var failed = done.Where(t => t.Exception() is not null).ToList();
            g.Print("failed:", Names(failed), Name(failed[0].Exception()!));
            (done, pending) = await Asyncio.Wait(tasks);
            g.Print("all completed:", Names(done), "pending:", Names(pending));

            var quiet = new[] { loop.CreateTask(Ok("e", 0.1), name: "e"), loop.CreateTask(Ok("f", 0.2), name: "f") };
            (done, pending) = await Asyncio.Wait(quiet, returnWhen: ReturnWhen.FirstException);
            g.Print("first exception without failures:", Names(done), "pending:", Names(pending));
            (done, pending) = await Asyncio.Wait(quiet, returnWhen: ReturnWhen.FirstCompleted);
            g.Print("already done:", Names(done), "pending:", Names(pending));
        }
        g.Loop.RunUntilComplete(Main());
    }

    [Golden("comp_07_wait_timeout")]
    public static void WaitTimeout(GoldenContext g)
    {
        async Coroutine<string> Work(string name, double delay)
        {
            await Asyncio.Sleep(delay);
            g.Print("finished", name);
            return name;
        }
        async Coroutine Main()
        {
            var loop = Asyncio.GetRunningLoop();
            var a = loop.CreateTask(Work("a", 0.1), name: "a");
            var b = loop.CreateTask(Work("b", 0.5), name: "b");
            var (done, pending) = await Asyncio.Wait([a, b, a], timeout: 0.2);
            g.Print("done:", Names(done), "pending:", Names(pending), "b cancelled:", b.Cancelled);
            (done, pending) = await Asyncio.Wait([b], timeout: 0);
            g.Print("timeout 0:", Names(done), Names(pending));
            g.Print("b:", await b);

            var c = loop.CreateTask(Work("c", 0.3), name: "c");
            var waiter = loop.CreateTask(Asyncio.Wait([c]));
            await Asyncio.Sleep(0.1);
            waiter.Cancel();
            try
            {
                await waiter;
            }
            catch (CancelledError)
            {
                g.Print("waiter cancelled:", waiter.Cancelled, "c cancelled:", c.Cancelled);
            }
            g.Print("c:", await c);
        }
        g.Loop.RunUntilComplete(Main());
    }

    [Golden("comp_08_wait_for_basic")]
    public static void WaitForBasic(GoldenContext g)
    {
        async Coroutine<string> Work(string name, double delay)
        {
            try
            {
                await Asyncio.Sleep(delay);
            }
            catch (CancelledError)
            {
                g.Print(name, "cancelled");
                throw;
            }
            finally
            {
                g.Print(name, "cleanup");
            }
            return name;
        }
        async Coroutine SlowCleanup(string name)
        {
            try
            {
                await Asyncio.Sleep(10);
            }
            catch (CancelledError)
            {
                g.Print(name, "cancelled; cleaning up slowly");
                await Asyncio.Sleep(0.5);
                g.Print(name, "cleaned up");
                throw;
            }
        }
        async Coroutine Main()
        {
            var loop = Asyncio.GetRunningLoop();
            g.Print("in time:", await Asyncio.WaitFor(Work("quick", 0.1), timeout: 1));
            try
            {
                await Asyncio.WaitFor(Work("late", 1), timeout: 0.1);
            }
            catch (TimeoutException e)
            {
                g.Print("raised", Name(e));
            }
            var task = loop.CreateTask(Work("task", 1));
            try
            {
                await Asyncio.WaitFor(task, 0.2);
            }
            catch (TimeoutException)
            {
                g.Print("task cancelled:", task.Cancelled);
            }
            try
            {
                await Asyncio.WaitFor(SlowCleanup("slow"), 0.1);
            }
            catch (TimeoutException)
            {
                g.Print("timed out after the cleanup");
            }
            g.Print("none:", await Asyncio.WaitFor(Work("unbounded", 2), null));
        }
        g.Loop.RunUntilComplete(Main());
    }

    [Golden("comp_09_wait_for_races")]
    public static void WaitForRaces(GoldenContext g)
    {
        async Coroutine<string> FinishAt(double delay, string value)
        {
            await Asyncio.Sleep(delay);
            return value;
        }
        async Coroutine<string> Stubborn()
        {
            try
            {
                await Asyncio.Sleep(10);
                return "slept";
            }
            catch (CancelledError)
            {
                g.Print("stubborn swallows the cancellation");
                return "stubborn result";
            }
        }
        async Coroutine BrokenCleanup()
        {
            try
            {
                await Asyncio.Sleep(10);
            }
            catch (CancelledError)
            {
                throw new CleanupFailed("cleanup failed");
            }
        }
        async Coroutine Main()
        {
            var loop = Asyncio.GetRunningLoop();
            g.Print("just before:", await Asyncio.WaitFor(FinishAt(0.099, "early"), 0.1));
            g.Print("swallowed:", await Asyncio.WaitFor(Stubborn(), 0.1));
            try
            {
                await Asyncio.WaitFor(BrokenCleanup(), 0.1);
            }
            catch (CleanupFailed e)
            {
                g.Print("raised", Name(e), e.Message);
            }
            var done = loop.CreateFuture<string>();
            done.SetResult("already");
            g.Print("done future, timeout 0:", await Asyncio.WaitFor(done, 0));
            var task = loop.CreateTask(FinishAt(0.1, "never"));
            try
            {
                await Asyncio.WaitFor(task, 0);
            }
            catch (TimeoutException)
            {
                g.Print("timeout 0 on a pending task: TimeoutError; task cancelled:", task.Cancelled);
            }
            try
            {
                await Asyncio.WaitFor(FinishAt(0, "never"), -1);
            }
            catch (TimeoutException)
            {
                g.Print("negative timeout: TimeoutError");
            }
        }
        g.Loop.RunUntilComplete(Main());
    }

    [Golden("comp_10_wait_for_outer_cancelled")]
    public static void WaitForOuterCancelled(GoldenContext g)
    {
        async Coroutine Inner(string name)
        {
            try
            {
                await Asyncio.Sleep(10);
            }
            catch (CancelledError)
            {
                g.Print(name, "inner cancelled");
                await Asyncio.Sleep(0.1);
                g.Print(name, "inner cleaned up");
                throw;
            }
        }
        async Coroutine Runner(string name, Coroutine? coroutine, LoopTask<Unit>? task)
        {
            try
            {
                await (coroutine is not null ? Asyncio.WaitFor(coroutine, timeout: 1) : Asyncio.WaitFor(task!, timeout: 1));
            }
            catch (CancelledError)
            {
                g.Print(name, "runner sees CancelledError");
                throw;
            }
            catch (TimeoutException)
            {
                g.Print(name, "runner sees TimeoutError");
            }
        }
        async Coroutine Main()
        {
            var loop = Asyncio.GetRunningLoop();
            foreach (var name in new[] { "coroutine", "task" })
            {
                var innerTask = name == "task" ? loop.CreateTask(Inner(name)) : null;
                var t = loop.CreateTask(Runner(name, innerTask is null ? Inner(name) : null, innerTask));
                await Asyncio.Sleep(0.5);
                t.Cancel();
                try
                {
                    await t;
                }
                catch (CancelledError)
                {
                    g.Print(name, "runner cancelled:", t.Cancelled, "cancelling:", t.Cancelling());
                }
                if (innerTask is not null)
                    g.Print("inner task cancelled:", innerTask.Cancelled);
            }
        }
        g.Loop.RunUntilComplete(Main());
    }

    [Golden("comp_11_as_completed")]
    public static void AsCompleted(GoldenContext g)
    {
        async Coroutine<string> Work(string name, double delay, bool fail = false)
        {
            await Asyncio.Sleep(delay);
            if (fail)
                throw new Boom(name);
            return name;
        }
        async Coroutine Main()
        {
            var loop = Asyncio.GetRunningLoop();
            var tasks = new[] { loop.CreateTask(Work("slow", 0.3)), loop.CreateTask(Work("fast", 0.1)), loop.CreateTask(Work("bad", 0.2, fail: true)) };
            foreach (var nextDone in Asyncio.AsCompleted(tasks))
            {
                try
                {
                    g.Print("completed:", await nextDone);
                }
                catch (Boom e)
                {
                    g.Print("failed:", Name(e), e.Message);
                }
            }

            tasks = [loop.CreateTask(Work("in time", 0.1)), loop.CreateTask(Work("late", 1))];
            foreach (var nextDone in Asyncio.AsCompleted(tasks, timeout: 0.5))
            {
                try
                {
                    g.Print("completed:", await nextDone);
                }
                catch (TimeoutException e)
                {
                    g.Print("raised", Name(e));
                }
            }
            g.Print("late cancelled:", tasks[1].Cancelled);
            g.Print("late result:", await tasks[1]);
            g.Print("nothing to wait for:", Asyncio.AsCompleted(Array.Empty<Future<string>>()).ToList());
        }
        g.Loop.RunUntilComplete(Main());
    }

    [Golden("comp_12_shield")]
    public static void Shield(GoldenContext g)
    {
        async Coroutine<string> Work(string name, double delay)
        {
            try
            {
                await Asyncio.Sleep(delay);
            }
            catch (CancelledError)
            {
                g.Print(name, "cancelled");
                throw;
            }
            g.Print(name, "finished");
            return name;
        }
        async Coroutine<string> Guarded(LoopTask<string> inner)
        {
            try
            {
                return await Asyncio.Shield(inner);
            }
            catch (CancelledError)
            {
                g.Print("guarded sees CancelledError; inner done:", inner.Done);
                throw;
            }
        }
        async Coroutine Main()
        {
            var loop = Asyncio.GetRunningLoop();
            var inner = loop.CreateTask(Work("inner", 0.3));
            var outer = loop.CreateTask(Guarded(inner));
            await Asyncio.Sleep(0.1);
            outer.Cancel();
            try
            {
                await outer;
            }
            catch (CancelledError)
            {
                g.Print("outer cancelled:", outer.Cancelled);
            }
            g.Print("inner result:", await inner);

            var inner2 = loop.CreateTask(Work("inner2", 0.2));
            var s = Asyncio.Shield(inner2);
            g.Print("shield is a new future:", !ReferenceEquals(s, inner2));
            g.Print("cancel the shield:", s.Cancel());
            g.Print("inner2 result:", await inner2, "shield cancelled:", s.Cancelled);

            var inner3 = loop.CreateTask(Work("inner3", 0.2));
            var s3 = Asyncio.Shield(inner3);
            await Asyncio.Sleep(0);
            inner3.Cancel();
            try
            {
                await s3;
            }
            catch (CancelledError)
            {
                g.Print("shield of a cancelled inner is cancelled:", s3.Cancelled);
            }

            g.Print("finished inner returned as is:", ReferenceEquals(Asyncio.Shield(inner), inner));
            g.Print("coroutine result:", await Asyncio.Shield(Work("coro", 0.1)));
        }
        g.Loop.RunUntilComplete(Main());
    }
}

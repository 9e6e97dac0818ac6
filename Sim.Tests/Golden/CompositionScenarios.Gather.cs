using Sim.Core;

namespace Sim.Tests.Golden;

/// <summary>gather (Scenarios/comp_01 to comp_05).</summary>
internal static partial class CompositionScenarios
{
    [Golden("comp_01_gather_results_in_order")]
    public static void GatherResultsInOrder(GoldenContext g)
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
            g.Print("coroutines:", await Asyncio.Gather(Work("slow", 0.3), Work("fast", 0.1), Work("mid", 0.2)));
            var task = loop.CreateTask(Work("task", 0.2));
            var fut = loop.CreateFuture<string>();
            loop.CallLater(0.1, () => fut.SetResult("future"));
            g.Print("mixed:", await Asyncio.Gather(task, fut, Work("coro", 0.05), fut));
            g.Print("empty:", await Asyncio.Gather());
            var gathered = Asyncio.Gather(Work("a", 0.1), Work("b", 0.1));
            g.Print("gather is a pending future:", gathered.Done);
            g.Print("equal deadlines:", await gathered);
        }
        g.Loop.RunUntilComplete(Main());
    }

    [Golden("comp_02_gather_first_failure")]
    public static void GatherFirstFailure(GoldenContext g)
    {
        async Coroutine<string> Ok(string name, double delay)
        {
            await Asyncio.Sleep(delay);
            g.Print("ok finished", name);
            return name;
        }
        async Coroutine<string> Fail(string name, double delay)
        {
            await Asyncio.Sleep(delay);
            g.Print("failing", name);
            throw new Boom(name);
        }
        async Coroutine Main()
        {
            var loop = Asyncio.GetRunningLoop();
            var children = new[] { loop.CreateTask(Ok("a", 0.3)), loop.CreateTask(Fail("b", 0.1)), loop.CreateTask(Fail("c", 0.2)) };
            var gathered = Asyncio.Gather(children);
            try
            {
                await gathered;
            }
            catch (Boom e)
            {
                g.Print("gather raised", Name(e), e.Message);
            }
            g.Print("gather done:", gathered.Done, "cancelled:", gathered.Cancelled);
            g.Print("children done:", children.Select(t => t.Done));
            g.Print("cancel the finished gather:", gathered.Cancel());
            await Asyncio.Sleep(0.5);
            g.Print("children later:", children.Select(t => Tuple(t.Done, t.Cancelled)));
            g.Print("a:", children[0].Result(), "c:", Name(children[2].Exception()!), children[2].Exception()!.Message);
        }
        g.Loop.RunUntilComplete(Main());
    }

    [Golden("comp_03_gather_return_exceptions")]
    public static void GatherReturnExceptions(GoldenContext g)
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
            var victim = loop.CreateTask(Ok("victim", 1));
            loop.CallLater(0.05, () => victim.Cancel("go away"));
            var results = await Asyncio.Gather([Ok("a", 0.1), Fail("b", 0.05), victim, Fail("d", 0.2)], returnExceptions: true);
            foreach (var result in results)
            {
                if (result is Exception e)
                    g.Print("exception", Name(e), GoldenContext.Repr(e.Message));
                else
                    g.Print("result", result);
            }
            g.Print("victim cancelled:", victim.Cancelled);
        }
        g.Loop.RunUntilComplete(Main());
    }

    [Golden("comp_04_gather_cancelled_from_outside")]
    public static void GatherCancelledFromOutside(GoldenContext g)
    {
        async Coroutine<string> Child(string name, double delay)
        {
            try
            {
                await Asyncio.Sleep(delay);
            }
            catch (CancelledError e)
            {
                g.Print("child", name, "cancelled:", Args(e));
                throw;
            }
            g.Print("child", name, "finished");
            return name;
        }
        async Coroutine<string[]> Waiter(LoopTask<string>[] children)
        {
            try
            {
                return await Asyncio.Gather(children);
            }
            catch (CancelledError e)
            {
                g.Print("waiter sees CancelledError:", Args(e));
                throw;
            }
        }
        async Coroutine Main()
        {
            var loop = Asyncio.GetRunningLoop();
            var children = new[] { ("a", 0.1), ("b", 1.0), ("c", 2.0) }.Select(c => loop.CreateTask(Child(c.Item1, c.Item2))).ToArray();
            var w = loop.CreateTask(Waiter(children));
            await Asyncio.Sleep(0.5);
            g.Print("cancel waiter:", w.Cancel("outside"));
            try
            {
                await w;
            }
            catch (CancelledError)
            {
                g.Print("waiter cancelled:", w.Cancelled);
            }
            g.Print("children:", children.Select(t => Tuple(t.Done, t.Cancelled)));

            var gathered = Asyncio.Gather(Child("x", 1), Child("y", 1));
            await Asyncio.Sleep(0);
            g.Print("cancel gather:", gathered.Cancel("stop"));
            g.Print("cancel again:", gathered.Cancel("again"));
            try
            {
                await gathered;
            }
            catch (CancelledError e)
            {
                g.Print("await gather raised CancelledError:", Args(e));
            }
            g.Print("gather done:", gathered.Done, "cancelled:", gathered.Cancelled);
            g.Print("cancel when done:", gathered.Cancel());
        }
        g.Loop.RunUntilComplete(Main());
    }

    [Golden("comp_05_gather_child_cancelled")]
    public static void GatherChildCancelled(GoldenContext g)
    {
        async Coroutine<string> Child(string name, double delay)
        {
            await Asyncio.Sleep(delay);
            g.Print("child", name, "finished");
            return name;
        }
        async Coroutine Main()
        {
            var loop = Asyncio.GetRunningLoop();
            var a = loop.CreateTask(Child("a", 0.2));
            var b = loop.CreateTask(Child("b", 1));
            var gathered = Asyncio.Gather(a, b);
            await Asyncio.Sleep(0.1);
            b.Cancel("only b");
            try
            {
                await gathered;
            }
            catch (CancelledError e)
            {
                g.Print("gather raised CancelledError:", Args(e));
            }
            g.Print("gather cancelled:", gathered.Cancelled, "a done:", a.Done);
            g.Print("a:", await a);
        }
        g.Loop.RunUntilComplete(Main());
    }
}

using Sim.Core;

namespace Sim.Tests.Golden;

/// <summary>TaskGroup (Scenarios/comp_15 to comp_18).</summary>
internal static partial class CompositionScenarios
{
    [Golden("comp_15_taskgroup_basic")]
    public static void TaskGroupBasic(GoldenContext g)
    {
        async Coroutine<string> Work(string name, double delay, List<string> log)
        {
            await Asyncio.Sleep(delay);
            log.Add(name);
            return name.ToUpperInvariant();
        }
        async Coroutine<string> Spawner(TaskGroup tg, List<string> log)
        {
            await Asyncio.Sleep(0.1);
            log.Add("spawner");
            _ = tg.CreateTask(Work("late sibling", 0.3, log), name: "late");
            return "SPAWNER";
        }
        async Coroutine Main()
        {
            var log = new List<string>();
            LoopTask<string> a, b;
            var tg = new TaskGroup();
            await using (tg)
            {
                a = tg.CreateTask(Work("a", 0.2, log), name: "first");
                b = tg.CreateTask(Spawner(tg, log));
                g.Print("body done; a done:", a.Done, "name:", a.Name);
            }
            g.Print("after the group:", log);
            g.Print("results:", a.Result(), b.Result());
            try
            {
                _ = tg.CreateTask(Work("too late", 0, log));
            }
            catch (InvalidOperationException e)
            {
                g.Print("create_task after exit:", Name(e));
            }

            await using (new TaskGroup())
            {
            }
            g.Print("empty group exits at once");
        }
        g.Loop.RunUntilComplete(Main());
    }

    [Golden("comp_16_taskgroup_two_failures")]
    public static void TaskGroupTwoFailures(GoldenContext g)
    {
        async Coroutine FailSoon(string name, double delay)
        {
            await Asyncio.Sleep(delay);
            throw new Boom(name);
        }
        async Coroutine FailWhenCancelled(string name, List<string> log)
        {
            try
            {
                await Asyncio.Sleep(10);
            }
            catch (CancelledError)
            {
                log.Add(name + " cancelled");
                throw new Boom(name);
            }
        }
        async Coroutine Quiet(string name, List<string> log)
        {
            try
            {
                await Asyncio.Sleep(10);
            }
            catch (CancelledError)
            {
                log.Add(name + " cancelled");
                throw;
            }
        }
        async Coroutine FirstPart()
        {
            var log = new List<string>();
            try
            {
                var tg = new TaskGroup();
                await using (tg)
                {
                    _ = tg.CreateTask(FailSoon("a", 0.1));
                    _ = tg.CreateTask(FailWhenCancelled("b", log));
                    _ = tg.CreateTask(Quiet("c", log));
                    try
                    {
                        await Asyncio.Sleep(10);
                    }
                    catch (CancelledError)
                    {
                        g.Print("body cancelled");
                        throw;
                    }
                }
            }
            catch (ExceptionGroup eg)
            {
                g.Print("ExceptionGroup:", eg.GroupMessage, Sorted(eg.Exceptions.Select(e => e.Message)));
            }
            g.Print("children:", Sorted(log));
            g.Print("parent carries on; cancelling:", Asyncio.CurrentTask()!.Cancelling());
        }
        async Coroutine Parent(List<string> log)
        {
            var tg = new TaskGroup();
            await using (tg)
            {
                _ = tg.CreateTask(FailWhenCancelled("x", log));
                _ = tg.CreateTask(FailWhenCancelled("y", log));
                _ = tg.CreateTask(Quiet("z", log));
                await Asyncio.Sleep(10);
            }
        }
        async Coroutine Main()
        {
            var loop = Asyncio.GetRunningLoop();
            await FirstPart();
            var log = new List<string>();
            var p = loop.CreateTask(Parent(log));
            await Asyncio.Sleep(0.1);
            p.Cancel();
            try
            {
                await p;
            }
            catch (ExceptionGroup eg)
            {
                g.Print("parent raised", Name(eg), eg.Message, Sorted(eg.Exceptions.Select(e => e.Message)));
            }
            g.Print("children:", Sorted(log));
            g.Print("parent cancelled:", p.Cancelled, "cancelling:", p.Cancelling());
        }
        g.Loop.RunUntilComplete(Main());
    }

    [Golden("comp_17_taskgroup_shutdown")]
    public static void TaskGroupShutdown(GoldenContext g)
    {
        async Coroutine FailSoon(string name, double delay)
        {
            await Asyncio.Sleep(delay);
            throw new Boom(name);
        }
        async Coroutine SpawnWhenCancelled(TaskGroup tg, List<string> log)
        {
            try
            {
                await Asyncio.Sleep(10);
            }
            catch (CancelledError)
            {
                try
                {
                    _ = tg.CreateTask(Asyncio.Sleep(0));
                }
                catch (InvalidOperationException e)
                {
                    log.Add("create_task while shutting down: " + Name(e));
                }
                throw;
            }
        }
        async Coroutine Sleeper(string name, List<string> log)
        {
            try
            {
                await Asyncio.Sleep(10);
            }
            catch (CancelledError)
            {
                log.Add(name + " cancelled");
                throw;
            }
        }
        // The body's own exception: TaskGroup.Run sees it, as asyncio's __aexit__ does.
        Coroutine BodyRaises(List<string> log) => TaskGroup.Run(async tg =>
        {
            _ = tg.CreateTask(Sleeper("child", log));
            await Asyncio.Sleep(0.1);
            throw new Boom("body");
        });
        async Coroutine CancelledParent(List<string> log)
        {
            var tg = new TaskGroup();
            await using (tg)
            {
                _ = tg.CreateTask(Sleeper("p1", log));
                _ = tg.CreateTask(Sleeper("p2", log));
                await Asyncio.Sleep(10);
            }
        }
        async Coroutine Main()
        {
            var loop = Asyncio.GetRunningLoop();
            var log = new List<string>();
            try
            {
                var tg = new TaskGroup();
                await using (tg)
                {
                    _ = tg.CreateTask(FailSoon("first", 0.1));
                    _ = tg.CreateTask(SpawnWhenCancelled(tg, log));
                }
            }
            catch (ExceptionGroup eg)
            {
                g.Print("group failed:", eg.Exceptions.Select(e => e.Message));
            }
            g.Print(log);

            log = [];
            try
            {
                await BodyRaises(log);
            }
            catch (ExceptionGroup eg)
            {
                g.Print("body raised:", eg.Exceptions.Select(e => Name(e) + " " + e.Message), log);
            }

            log = [];
            var t = loop.CreateTask(CancelledParent(log));
            await Asyncio.Sleep(0.1);
            t.Cancel("shutdown");
            try
            {
                await t;
            }
            catch (CancelledError e)
            {
                g.Print("cancelled parent:", Args(e), t.Cancelled, Sorted(log));
            }
        }
        g.Loop.RunUntilComplete(Main());
    }

    [Golden("comp_18_taskgroup_in_timeout")]
    public static void TaskGroupInTimeout(GoldenContext g)
    {
        async Coroutine Sleeper(string name, List<string> log)
        {
            try
            {
                await Asyncio.Sleep(10);
            }
            catch (CancelledError)
            {
                log.Add(name + " cancelled");
                throw;
            }
        }
        async Coroutine FailSoon()
        {
            await Asyncio.Sleep(0.1);
            throw new Boom("child");
        }
        async Coroutine Main()
        {
            var log = new List<string>();
            var scope = Asyncio.Timeout(0.5);
            try
            {
                await using (scope)
                {
                    var tg = new TaskGroup();
                    await using (tg)
                    {
                        _ = tg.CreateTask(Sleeper("a", log));
                        _ = tg.CreateTask(Sleeper("b", log));
                        await Asyncio.Sleep(10);
                    }
                }
            }
            catch (TimeoutException)
            {
                g.Print("TimeoutError; expired:", scope.Expired, "children:", Sorted(log));
            }
            g.Print("cancelling:", Asyncio.CurrentTask()!.Cancelling());

            scope = Asyncio.Timeout(1);
            try
            {
                await using (scope)
                {
                    var tg = new TaskGroup();
                    await using (tg)
                    {
                        _ = tg.CreateTask(FailSoon());
                        await Asyncio.Sleep(10);
                    }
                }
            }
            catch (ExceptionGroup eg)
            {
                g.Print("ExceptionGroup:", eg.Exceptions.Select(e => e.Message), "expired:", scope.Expired);
            }
            g.Print("cancelling:", Asyncio.CurrentTask()!.Cancelling());
        }
        g.Loop.RunUntilComplete(Main());
    }
}

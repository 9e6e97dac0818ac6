using Sim.Core;

namespace Sim.Tests.Golden;

/// <summary>C# twins of the loop scenarios about running, closing and the executor
/// (Scenarios/loop_09 to loop_11, loop_14, loop_17 to loop_19).</summary>
internal static class LoopLifecycleScenarios
{
    private sealed class Boom(string message) : Exception(message);

    [Golden("loop_09_close")]
    public static void Close(GoldenContext g)
    {
        var loop = g.Loop;
        loop.CallSoon(() =>
        {
            try
            {
                loop.Close();
                g.Print("close while running: no error");
            }
            catch (InvalidOperationException e)
            {
                g.Print("close while running:", GoldenContext.PythonName(e), e.Message);
            }
            loop.Stop();
        });
        loop.RunForever();
        g.Print("closed after refused close:", loop.IsClosed);
        loop.CallSoon(() => g.Print("dropped callback must not run"));
        loop.CallLater(0, () => g.Print("dropped timer must not run"));
        loop.Close();
        g.Print("closed:", loop.IsClosed);
        loop.Close();
        g.Print("second close is fine, closed:", loop.IsClosed);
        async Coroutine Never()
        {
            g.Print("never runs");
            await Asyncio.Sleep(0);
        }
        var coro = Never();
        (string What, Action Action)[] attempts =
        [
            ("run_forever", loop.RunForever),
            ("run_until_complete", () => loop.RunUntilComplete(coro)),
            ("create_task", () => loop.CreateTask(coro)),
            ("call_soon", () => loop.CallSoon(() => g.Print("x"))),
            ("call_later", () => loop.CallLater(1, () => g.Print("x"))),
        ];
        foreach (var (what, action) in attempts)
        {
            try
            {
                action();
                g.Print(what, "on closed loop: no error");
            }
            catch (InvalidOperationException e)
            {
                g.Print(what, "on closed loop:", GoldenContext.PythonName(e), e.Message);
            }
        }
    }

    [Golden("loop_10_run_until_complete")]
    public static void RunUntilComplete(GoldenContext g)
    {
        static async Coroutine<int> Answer()
        {
            await Asyncio.Sleep(0.01);
            return 42;
        }
        static async Coroutine Explode()
        {
            await Asyncio.Sleep(0);
            throw new Boom("kaboom");
        }
        var loop = g.Loop;
        g.Print("result:", loop.RunUntilComplete(Answer()));
        try
        {
            loop.RunUntilComplete(Explode());
        }
        catch (Boom e)
        {
            g.Print("raised:", e.GetType().Name, e.Message);
        }
        var done = loop.CreateFuture<string>();
        done.SetResult("early");
        loop.CallSoon(() => g.Print("callback ready before the run"));
        g.Print("already done:", loop.RunUntilComplete(done));
        var failed = loop.CreateFuture<string>();
        failed.SetException(new Boom("stored"));
        try
        {
            loop.RunUntilComplete(failed);
        }
        catch (Boom e)
        {
            g.Print("already failed:", e.GetType().Name, e.Message);
        }
        g.Print("running after:", loop.IsRunning);
        loop.Close();
    }

    [Golden("loop_11_run_until_complete_stopped")]
    public static void RunUntilCompleteStopped(GoldenContext g)
    {
        async Coroutine<string> Slow()
        {
            g.Print("slow starts");
            await Asyncio.Sleep(0.01);
            g.Print("slow resumes");
            await Asyncio.Sleep(0.01);
            g.Print("slow ends");
            return "finished";
        }
        var loop = g.Loop;
        var task = loop.CreateTask(Slow());
        loop.CallLater(0.015, loop.Stop);
        try
        {
            loop.RunUntilComplete(task);
        }
        catch (InvalidOperationException e)
        {
            g.Print("RuntimeError:", e.Message);
        }
        g.Print("task done:", task.Done);
        loop.Stop();
        try
        {
            loop.RunUntilComplete(task);
        }
        catch (InvalidOperationException e)
        {
            g.Print("stopped before the run:", e.Message);
        }
        g.Print("task done:", task.Done);
        g.Print("third run:", loop.RunUntilComplete(task));
        loop.Close();
    }

    [Golden("loop_14_executor")]
    public static void Executor(GoldenContext g)
    {
        static int Square(int n) => n * n;
        static int Fail(string text) => throw new Boom(text);
        async Coroutine Main()
        {
            var loop = Asyncio.GetRunningLoop();
            var fut = loop.RunInExecutor(() => Square(7));
            g.Print("future done at once:", fut.Done);
            g.Print("square:", await fut);
            var results = new List<int>();
            for (var n = 1; n < 4; n++)
            {
                var k = n;
                results.Add(await loop.RunInExecutor(() => Square(k)));
            }
            g.Print("squares:", results);
            try
            {
                await loop.RunInExecutor(() => Fail("in executor"));
            }
            catch (Boom e)
            {
                g.Print("raised:", e.GetType().Name, e.Message);
            }
            var failed = loop.RunInExecutor(() => Fail("kept"));
            try
            {
                await failed;
            }
            catch (Boom)
            {
            }
            g.Print("failed future exception:", failed.Exception()!.GetType().Name, failed.Exception()!.Message);
        }
        g.Loop.RunUntilComplete(Main());
    }

    [Golden("loop_17_run_while_running")]
    public static void RunWhileRunning(GoldenContext g)
    {
        var loop = g.Loop;
        var fut = loop.CreateFuture<string>();
        void Nested()
        {
            (string What, Action Action)[] attempts =
            [
                ("run_forever", loop.RunForever),
                ("run_until_complete", () => loop.RunUntilComplete(fut)),
            ];
            foreach (var (what, action) in attempts)
            {
                try
                {
                    action();
                    g.Print(what, "inside a callback: no error");
                }
                catch (InvalidOperationException e)
                {
                    g.Print(what, "inside a callback:", GoldenContext.PythonName(e), e.Message);
                }
            }
            fut.SetResult("outer run finished");
        }
        loop.CallSoon(Nested);
        g.Print(loop.RunUntilComplete(fut));
        g.Print("running:", loop.IsRunning);
        loop.Close();
    }

    [Golden("loop_18_executor_shutdown")]
    public static void ExecutorShutdown(GoldenContext g)
    {
        static int Square(int n) => n * n;
        async Coroutine Main()
        {
            var loop = Asyncio.GetRunningLoop();
            var jobs = Enumerable.Range(0, 3).Select(n => loop.RunInExecutor(() => Square(n))).ToList();
            g.Print("jobs done before shutdown:", jobs.Select(j => j.Done).ToList());
            await loop.ShutdownDefaultExecutor();
            g.Print("jobs done after shutdown:", jobs.Select(j => j.Done).ToList());
            g.Print("results:", jobs.Select(j => j.Result()).ToList());
            try
            {
                _ = loop.RunInExecutor(() => Square(5));
                g.Print("run_in_executor after shutdown: no error");
            }
            catch (InvalidOperationException e)
            {
                g.Print("run_in_executor after shutdown:", GoldenContext.PythonName(e), e.Message);
            }
        }
        g.Loop.RunUntilComplete(Main());
    }

    [Golden("loop_19_run_until_complete_batch")]
    public static void RunUntilCompleteBatch(GoldenContext g)
    {
        var loop = g.Loop;
        LoopTask<Unit>? bg = null;
        async Coroutine Background()
        {
            for (var i = 0; i < 10; i++)
            {
                g.Print("bg", i);
                await Asyncio.Sleep(0);
            }
        }
        async Coroutine<string> Main()
        {
            bg = loop.CreateTask(Background(), name: "bg");
            for (var i = 0; i < 3; i++)
            {
                g.Print("main", i);
                await Asyncio.Sleep(0);
            }
            loop.CallSoon(() => g.Print("callback scheduled by main's last step"));
            return "main result";
        }
        g.Print(loop.RunUntilComplete(Main()));
        g.Print("pending:", loop.AllTasks().Select(t => t.Name).ToList());
        loop.RunUntilComplete(Asyncio.Sleep(0));
        g.Print("after a sleep(0) run");
        bg!.Cancel();
        try
        {
            loop.RunUntilComplete(bg);
        }
        catch (CancelledError)
        {
            g.Print("bg cancelled:", bg.Cancelled);
        }
        loop.Close();
    }
}

using Sim.Core;

namespace Sim.Tests.Golden;

/// <summary>ensure_future, run_coroutine_threadsafe with wrap_future, to_thread (Scenarios/comp_19 to comp_21).</summary>
internal static partial class CompositionScenarios
{
    [Golden("comp_19_ensure_future")]
    public static void EnsureFuture(GoldenContext g)
    {
        async Coroutine<string> Work(List<string> log)
        {
            log.Add("work started");
            await Asyncio.Sleep(0.1);
            return "work result";
        }
        async Coroutine Main()
        {
            var loop = Asyncio.GetRunningLoop();
            var fut = loop.CreateFuture<string>();
            g.Print("future returned as is:", ReferenceEquals(Asyncio.EnsureFuture(fut), fut));
            var task = loop.CreateTask(Asyncio.Sleep(0.1, "task result"));
            g.Print("task returned as is:", ReferenceEquals(Asyncio.EnsureFuture(task), task));
            var log = new List<string>();
            var wrapped = Asyncio.EnsureFuture(Work(log));
            g.Print("coroutine wrapped in a task:", wrapped is ILoopTask, "started:", log);
            await Asyncio.Sleep(0);
            g.Print("after one iteration:", log);
            g.Print(await wrapped, await task);
            fut.SetResult("future result");
            g.Print(await Asyncio.EnsureFuture(fut));
        }
        g.Loop.RunUntilComplete(Main());
    }

    [Golden("comp_20_threadsafe_and_wrap_future")]
    public static void ThreadsafeAndWrapFuture(GoldenContext g)
    {
        async Coroutine<int> Compute(int x)
        {
            await Asyncio.Sleep(0.1);
            return x * 2;
        }
        async Coroutine<int> Explode()
        {
            await Asyncio.Sleep(0.1);
            throw new Boom("in the loop");
        }
        async Coroutine Forever() => await Asyncio.Sleep(10);
        async Coroutine Main()
        {
            var loop = Asyncio.GetRunningLoop();
            var cf = Asyncio.RunCoroutineThreadsafe(Compute(21), loop);
            g.Print("submitted; done:", cf.IsCompleted);
            g.Print("result:", await Asyncio.WrapFuture(cf), "thread-safe future done:", cf.IsCompleted, cf.Result);
            var failing = Asyncio.RunCoroutineThreadsafe(Explode(), loop);
            try
            {
                await Asyncio.WrapFuture(failing);
            }
            catch (Boom e)
            {
                g.Print("raised", Name(e), e.Message);
            }
            using var cancellation = new CancellationTokenSource();
            var endless = Asyncio.RunCoroutineThreadsafe(Forever(), loop, cancellation.Token);
            await Asyncio.Sleep(0.1);
            cancellation.Cancel();
            g.Print("cancel the thread-safe future:", endless.IsCanceled);
            await Asyncio.Sleep(0.1);
            g.Print("tasks left:", Asyncio.AllTasks().Count);
        }
        g.Loop.RunUntilComplete(Main());
    }

    [Golden("comp_21_to_thread")]
    public static void ToThread(GoldenContext g)
    {
        static int Blocking(int x) => x * x;
        static int Broken() => throw new Boom("in the worker");
        async Coroutine Main()
        {
            g.Print("square:", await Asyncio.ToThread(() => Blocking(12)));
            try
            {
                await Asyncio.ToThread(Broken);
            }
            catch (Boom e)
            {
                g.Print("raised", Name(e), e.Message);
            }
            var results = await Asyncio.Gather(Enumerable.Range(0, 4).Select(n => Asyncio.ToThread(() => Blocking(n))).ToArray());
            g.Print("gathered:", results);
        }
        g.Loop.RunUntilComplete(Main());
    }
}

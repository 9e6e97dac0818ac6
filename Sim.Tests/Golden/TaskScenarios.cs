using Sim.Core;

namespace Sim.Tests.Golden;

/// <summary>C# twins of the task and coroutine scenarios (Scenarios/task_07 to task_12, task_14, task_17, task_20, task_23).</summary>
internal static class TaskScenarios
{
    private sealed class Boom(string message) : Exception(message);

    /// <summary>task_23's factory. CPython's loop applies create_task's name after its factory
    /// ran; an <see cref="ITaskFactory"/> is given the name, so this one applies it the same way.</summary>
    private sealed class CountingTaskFactory(GoldenContext g) : ITaskFactory
    {
        public int Calls { get; private set; }

        public LoopTask<T> CreateTask<T>(EventLoop loop, Coroutine<T> coroutine, string? name)
        {
            Calls++;
            g.Print("factory creates task", Calls);
            var task = new LoopTask<T>(loop, coroutine);
            if (name is not null)
                task.Name = name;
            return task;
        }
    }

    [Golden("task_07_nested_await_inline")]
    public static void NestedAwaitInline(GoldenContext g)
    {
        async Coroutine<int> Grandchild(ILoopTask parentTask)
        {
            g.Print("  grandchild starts; same task:", ReferenceEquals(Asyncio.CurrentTask(), parentTask));
            await Asyncio.Sleep(0.01);
            g.Print("  grandchild resumes; same task:", ReferenceEquals(Asyncio.CurrentTask(), parentTask));
            return 3;
        }
        async Coroutine<int> Child(ILoopTask parentTask)
        {
            g.Print(" child starts; same task:", ReferenceEquals(Asyncio.CurrentTask(), parentTask));
            var value = await Grandchild(parentTask);
            g.Print(" child got", value);
            return value * 2;
        }
        async Coroutine<int> Parent()
        {
            var me = Asyncio.CurrentTask()!;
            g.Print("parent starts in", me.Name);
            var value = await Child(me);
            g.Print("parent got", value);
            return value + 1;
        }
        async Coroutine Main()
        {
            var t = Asyncio.GetRunningLoop().CreateTask(Parent(), name: "parent-task");
            g.Print("main awaits parent-task");
            g.Print("result", await t);
        }
        g.Loop.RunUntilComplete(Main());
    }

    [Golden("task_08_return_without_suspending")]
    public static void ReturnWithoutSuspending(GoldenContext g)
    {
#pragma warning disable CS1998 // the point: coroutines that never suspend
        static async Coroutine<int> Quick(int n) => n * 10;
        async Coroutine Other() => g.Print("other runs");
#pragma warning restore CS1998
        async Coroutine Busy()
        {
            var total = 0;
            for (var n = 0; n < 3; n++)
            {
                total += await Quick(n);
                g.Print("busy added", n);
            }
            g.Print("busy total", total);
            await Asyncio.Sleep(0);
            g.Print("busy after its first real suspension");
        }
        async Coroutine Main()
        {
            var loop = Asyncio.GetRunningLoop();
            var t1 = loop.CreateTask(Busy());
            var t2 = loop.CreateTask(Other());
            g.Print("main created both");
            await t1;
            await t2;
            g.Print("both done");
        }
        g.Loop.RunUntilComplete(Main());
    }

    [Golden("task_09_await_finished")]
    public static void AwaitFinished(GoldenContext g)
    {
#pragma warning disable CS1998 // a coroutine that finishes in its first step
        static async Coroutine<string> Value() => "task value";
#pragma warning restore CS1998
        async Coroutine Main()
        {
            var loop = Asyncio.GetRunningLoop();
            var t = loop.CreateTask(Value());
            await t;
            var fut = loop.CreateFuture<string>();
            fut.SetResult("future value");
            loop.CallSoon(() => g.Print("a callback scheduled before the awaits"));
            g.Print("awaiting finished future:", await fut);
            g.Print("awaiting finished task:", await t);
            g.Print("awaiting it again:", await t);
            g.Print("no iteration passed yet");
            await Asyncio.Sleep(0);
            g.Print("after sleep(0)");
        }
        g.Loop.RunUntilComplete(Main());
    }

    [Golden("task_10_current_and_all_tasks")]
    public static void CurrentAndAllTasks(GoldenContext g)
    {
        static async Coroutine<string> Worker(double delay)
        {
            await Asyncio.Sleep(delay);
            return Asyncio.CurrentTask()!.Name;
        }
        static List<string> AllNames() => Asyncio.AllTasks().Select(t => t.Name).Order(StringComparer.Ordinal).ToList();
        async Coroutine Main()
        {
            var loop = Asyncio.GetRunningLoop();
            g.Print("main is", Asyncio.CurrentTask()!.Name);
            var a = loop.CreateTask(Worker(0.01));
            var b = loop.CreateTask(Worker(0.02), name: "custom");
            var c = loop.CreateTask(Worker(0.03));
            g.Print("created:", a.Name, b.Name, c.Name);
            g.Print("all tasks:", AllNames());
            g.Print("a returns its own name:", await a);
            g.Print("all tasks after a:", AllNames());
            c.Name = "renamed";
            loop.CallSoon(() => g.Print("current task in a callback:", Asyncio.CurrentTask()));
            g.Print("b:", await b, "c:", await c);
            g.Print("all tasks at the end:", AllNames());
        }
        g.Loop.RunUntilComplete(Main());
    }

    [Golden("task_11_sleep0_interleaving")]
    public static void SleepZeroInterleaving(GoldenContext g)
    {
        async Coroutine Ticker(string name, int n)
        {
            for (var i = 0; i < n; i++)
            {
                g.Print(name, i);
                await Asyncio.Sleep(0);
            }
            g.Print(name, "done");
        }
        async Coroutine Main()
        {
            var loop = Asyncio.GetRunningLoop();
            var a = loop.CreateTask(Ticker("a", 3));
            var b = loop.CreateTask(Ticker("b", 5));
            await a;
            g.Print("main resumed after a");
            await b;
        }
        g.Loop.RunUntilComplete(Main());
    }

    [Golden("task_12_task_exception")]
    public static void TaskException(GoldenContext g)
    {
        static async Coroutine Failing()
        {
            await Asyncio.Sleep(0);
            throw new Boom("task failed");
        }
        async Coroutine Main()
        {
            var loop = Asyncio.GetRunningLoop();
            var t = loop.CreateTask(Failing());
            t.AddDoneCallback(f => g.Print("done callback: exception", f.Exception()!.GetType().Name));
            try
            {
                await t;
            }
            catch (Boom e)
            {
                g.Print("await raised", e.GetType().Name, e.Message);
            }
            g.Print("done:", t.Done, "cancelled:", t.Cancelled);
            g.Print("exception():", t.Exception()!.GetType().Name, t.Exception()!.Message);
            g.Print("cancel() on failed task:", t.Cancel());
            try
            {
                t.Result();
            }
            catch (Boom e)
            {
                g.Print("result() raised", e.GetType().Name);
            }
            await Asyncio.Sleep(0);
        }
        g.Loop.RunUntilComplete(Main());
    }

    [Golden("task_14_event_wakes_waiters")]
    public static void EventWakesWaiters(GoldenContext g)
    {
        async Coroutine Waiter(LoopEvent evt, string name)
        {
            g.Print(name, "waits");
            try
            {
                await evt.Wait();
            }
            catch (CancelledError)
            {
                g.Print(name, "cancelled while waiting");
                throw;
            }
            g.Print(name, "woke; set:", evt.IsSet);
        }
        async Coroutine Main()
        {
            var loop = Asyncio.GetRunningLoop();
            var evt = new LoopEvent();
            var tasks = new[] { "w1", "w2", "w3", "w4" }.Select(n => loop.CreateTask(Waiter(evt, n))).ToList();
            await Asyncio.Sleep(0);
            tasks[1].Cancel();
            await Asyncio.Sleep(0);
            g.Print("setting");
            evt.Set();
            g.Print("set returned");
            foreach (var t in tasks)
            {
                try
                {
                    await t;
                }
                catch (CancelledError)
                {
                    g.Print("main: a waiter was cancelled:", t.Cancelled);
                }
            }
            g.Print("wait on a set event:", await evt.Wait());
            evt.Clear();
            g.Print("cleared, set:", evt.IsSet);
        }
        g.Loop.RunUntilComplete(Main());
    }

    [Golden("task_17_await_misuse")]
    public static void AwaitMisuse(GoldenContext g)
    {
#pragma warning disable CS1998 // finishes without suspending
        static async Coroutine<string> Work() => "work done";
#pragma warning restore CS1998
        LoopTask<string>? meTask = null;
        async Coroutine<string> Selfish()
        {
            await Asyncio.Sleep(0);
            try
            {
                await meTask!;
            }
            catch (InvalidOperationException e)
            {
                g.Print("awaiting itself:", GoldenContext.PythonName(e), e.Message.StartsWith("Task cannot await on itself", StringComparison.Ordinal));
            }
            return "recovered";
        }
        async Coroutine Main()
        {
            var coro = Work();
            g.Print("first await:", await coro);
            try
            {
                await coro;
            }
            catch (InvalidOperationException e)
            {
                g.Print("second await:", GoldenContext.PythonName(e), e.Message.StartsWith("cannot reuse already awaited coroutine", StringComparison.Ordinal));
            }
            meTask = Asyncio.GetRunningLoop().CreateTask(Selfish());
            g.Print("selfish returned:", await meTask);
        }
        g.Loop.RunUntilComplete(Main());
    }

    [Golden("task_20_errors_across_nested_awaits")]
    public static void ErrorsAcrossNestedAwaits(GoldenContext g)
    {
        static async Coroutine<int> Leaf(int n)
        {
            await Asyncio.Sleep(0.01);
            if (n % 2 == 1)
                throw new Boom($"leaf {n}");
            return n;
        }
        async Coroutine<int> Middle(int n)
        {
            try
            {
                return await Leaf(n) * 10;
            }
            catch (Boom e)
            {
                g.Print("middle caught", e.Message);
                await Asyncio.Sleep(0);
                g.Print("middle resumed after catching");
                return -1;
            }
        }
        async Coroutine Top()
        {
            var results = new List<int>();
            for (var n = 0; n < 4; n++)
            {
                results.Add(await Middle(n));
                g.Print("top has", results);
            }
            try
            {
                await Leaf(5);
            }
            catch (Boom e)
            {
                g.Print("top caught", e.Message);
            }
            throw new Boom("top gives up");
        }
        async Coroutine Main()
        {
            var t = Asyncio.GetRunningLoop().CreateTask(Top());
            try
            {
                await t;
            }
            catch (Boom e)
            {
                g.Print("main caught", e.Message, "task exception:", t.Exception()!.GetType().Name);
            }
        }
        g.Loop.RunUntilComplete(Main());
    }

    [Golden("task_23_task_factory")]
    public static void TaskFactoryCreatesEveryTask(GoldenContext g)
    {
        static async Coroutine<string> Child()
        {
            await Asyncio.Sleep(0);
            return Asyncio.CurrentTask()!.Name;
        }
        var factory = new CountingTaskFactory(g);
        async Coroutine Main()
        {
            var loop = Asyncio.GetRunningLoop();
            g.Print("main is", Asyncio.CurrentTask()!.Name);
            var named = loop.CreateTask(Child(), name: "child");
            var unnamed = loop.CreateTask(Child());
            g.Print("names:", await named, await unnamed);
            loop.TaskFactory = null;
            g.Print("factory after reset:", loop.TaskFactory);
            g.Print("default factory task:", await loop.CreateTask(Child()));
            g.Print("factory calls:", factory.Calls);
        }
        var loop = g.Loop;
        g.Print("default factory:", loop.TaskFactory);
        loop.TaskFactory = factory;
        g.Print("factory set:", ReferenceEquals(loop.TaskFactory, factory));
        loop.RunUntilComplete(Main());
        loop.Close();
    }
}

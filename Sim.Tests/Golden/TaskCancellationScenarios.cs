using Sim.Core;

namespace Sim.Tests.Golden;

/// <summary>C# twins of the task cancellation scenarios: where and how a cancellation is delivered
/// (Scenarios/task_01, 02, 03, 05, 06, 15, 22).</summary>
internal static class TaskCancellationScenarios
{
    [Golden("task_01_cancel_at_await")]
    public static void CancelAtAwait(GoldenContext g)
    {
        async Coroutine Worker()
        {
            try
            {
                g.Print("worker waiting");
                await Asyncio.Sleep(10);
            }
            catch (CancelledError e)
            {
                g.Print("worker cancelled:", e.CancelMessage);
                throw;
            }
            finally
            {
                g.Print("worker finally");
            }
        }
        async Coroutine Main()
        {
            var t = Asyncio.GetRunningLoop().CreateTask(Worker());
            await Asyncio.Sleep(0);
            g.Print("cancel returns", t.Cancel("stop now"));
            g.Print("cancelled right after cancel()?", t.Cancelled);
            try
            {
                await t;
            }
            catch (CancelledError)
            {
                g.Print("main saw CancelledError");
            }
            g.Print("task cancelled?", t.Cancelled, "cancelling:", t.Cancelling());
        }
        g.Loop.RunUntilComplete(Main());
    }

    [Golden("task_02_cancel_before_first_step")]
    public static void CancelBeforeFirstStep(GoldenContext g)
    {
        async Coroutine<string> Body()
        {
            g.Print("body must not run");
            await Asyncio.Sleep(0);
            return "never";
        }
        async Coroutine Main()
        {
            var loop = Asyncio.GetRunningLoop();
            var t = loop.CreateTask(Body());
            g.Print("cancel:", t.Cancel("too early"));
            g.Print("done right after cancel:", t.Done, "cancelling:", t.Cancelling());
            try
            {
                await t;
            }
            catch (CancelledError e)
            {
                g.Print("awaiter got CancelledError:", e.CancelMessage);
            }
            g.Print("cancelled:", t.Cancelled, "done:", t.Done);
            g.Print("cancel a cancelled task:", t.Cancel());
        }
        g.Loop.RunUntilComplete(Main());
    }

    [Golden("task_03_cancel_message_nested")]
    public static void CancelMessageNested(GoldenContext g)
    {
        async Coroutine Inner()
        {
            try
            {
                await Asyncio.Sleep(1);
            }
            finally
            {
                g.Print("inner finally");
            }
        }
        async Coroutine Middle()
        {
            try
            {
                await Inner();
            }
            catch (CancelledError e)
            {
                g.Print("middle sees:", e.CancelMessage);
                throw;
            }
        }
        async Coroutine Main()
        {
            var t = Asyncio.GetRunningLoop().CreateTask(Middle());
            await Asyncio.Sleep(0);
            t.Cancel("shutting down");
            try
            {
                await t;
            }
            catch (CancelledError e)
            {
                g.Print("main sees:", e.CancelMessage);
            }
            g.Print("cancelled:", t.Cancelled);
        }
        g.Loop.RunUntilComplete(Main());
    }

    [Golden("task_05_cancel_propagates_inward")]
    public static void CancelPropagatesInward(GoldenContext g)
    {
        LoopTask<Unit>? innerTask = null;
        async Coroutine Inner()
        {
            try
            {
                g.Print("inner waiting");
                await Asyncio.Sleep(1);
            }
            catch (CancelledError e)
            {
                g.Print("inner cancelled:", e.CancelMessage);
                throw;
            }
            finally
            {
                g.Print("inner finally");
            }
        }
        async Coroutine Outer(EventLoop loop)
        {
            innerTask = loop.CreateTask(Inner());
            try
            {
                await innerTask;
            }
            catch (CancelledError)
            {
                g.Print("outer cancelled; inner done:", innerTask.Done, "inner cancelled:", innerTask.Cancelled);
                throw;
            }
        }
        async Coroutine Main()
        {
            var loop = Asyncio.GetRunningLoop();
            var o = loop.CreateTask(Outer(loop));
            await Asyncio.Sleep(0);
            await Asyncio.Sleep(0);
            g.Print("cancel outer:", o.Cancel("from main"));
            g.Print("inner cancelled yet:", innerTask!.Cancelled, "inner cancelling:", innerTask.Cancelling());
            try
            {
                await o;
            }
            catch (CancelledError)
            {
                g.Print("main: outer cancelled:", o.Cancelled);
            }
            g.Print("outer cancelling:", o.Cancelling(), "inner cancelling:", innerTask.Cancelling());
        }
        g.Loop.RunUntilComplete(Main());
    }

    [Golden("task_06_cancel_cancels_awaited_future")]
    public static void CancelCancelsAwaitedFuture(GoldenContext g)
    {
        async Coroutine Waiter(Future<string> fut, string name)
        {
            try
            {
                var value = await fut;
                g.Print(name, "got", value);
            }
            catch (CancelledError)
            {
                g.Print(name, "cancelled at the await");
                throw;
            }
        }
        async Coroutine Main()
        {
            var loop = Asyncio.GetRunningLoop();
            var fut = loop.CreateFuture<string>();
            var t = loop.CreateTask(Waiter(fut, "t1"));
            await Asyncio.Sleep(0);
            t.Cancel();
            g.Print("future cancelled by the task's cancel:", fut.Cancelled);
            try
            {
                await t;
            }
            catch (CancelledError)
            {
                g.Print("t1 cancelled:", t.Cancelled);
            }

            var fut2 = loop.CreateFuture<string>();
            var t2 = loop.CreateTask(Waiter(fut2, "t2"));
            await Asyncio.Sleep(0);
            fut2.SetResult("value");
            g.Print("cancel after the result was set:", t2.Cancel());
            g.Print("future kept its result:", fut2.Result());
            try
            {
                await t2;
            }
            catch (CancelledError)
            {
                g.Print("t2 cancelled:", t2.Cancelled);
            }
        }
        g.Loop.RunUntilComplete(Main());
    }

    [Golden("task_15_self_cancel")]
    public static void SelfCancel(GoldenContext g)
    {
        async Coroutine SelfCancelThenSleep()
        {
            var me = Asyncio.CurrentTask()!;
            g.Print("cancel self:", me.Cancel("self"), "cancelling:", me.Cancelling());
            var done = Asyncio.GetRunningLoop().CreateFuture<string>();
            done.SetResult("ready");
            g.Print("await a finished future still works:", await done);
            try
            {
                await Asyncio.Sleep(0);
                g.Print("must not get here");
            }
            catch (CancelledError e)
            {
                g.Print("CancelledError at the sleep:", e.CancelMessage);
                throw;
            }
        }
#pragma warning disable CS1998 // the point: it returns without suspending
        async Coroutine<string> SelfCancelThenReturn()
        {
            Asyncio.CurrentTask()!.Cancel();
            g.Print("cancelled self, returning a value anyway");
            return "ignored";
        }
#pragma warning restore CS1998
        async Coroutine Main()
        {
            var loop = Asyncio.GetRunningLoop();
            var t1 = loop.CreateTask(SelfCancelThenSleep());
            try
            {
                await t1;
            }
            catch (CancelledError)
            {
                g.Print("t1 cancelled:", t1.Cancelled);
            }
            var t2 = loop.CreateTask(SelfCancelThenReturn());
            try
            {
                g.Print("t2 result:", await t2);
            }
            catch (CancelledError)
            {
                g.Print("t2 cancelled:", t2.Cancelled);
            }
        }
        g.Loop.RunUntilComplete(Main());
    }

    [Golden("task_22_cancelled_error_raised_explicitly")]
    public static void CancelledErrorRaisedExplicitly(GoldenContext g)
    {
        static async Coroutine GivesUp()
        {
            await Asyncio.Sleep(0);
            throw new CancelledError("manual");
        }
        static async Coroutine Awaits(Future<string> fut) => await fut;
        async Coroutine Main()
        {
            var loop = Asyncio.GetRunningLoop();
            var t = loop.CreateTask(GivesUp());
            try
            {
                await t;
            }
            catch (CancelledError e)
            {
                g.Print("awaiter got:", e.CancelMessage);
            }
            g.Print("cancelled:", t.Cancelled, "cancelling:", t.Cancelling());

            var fut = loop.CreateFuture<string>();
            fut.SetException(new CancelledError("as exception"));
            g.Print("future cancelled:", fut.Cancelled, "done:", fut.Done);
            g.Print("future exception():", GoldenContext.PythonName(fut.Exception()!));
            var t2 = loop.CreateTask(Awaits(fut));
            try
            {
                await t2;
            }
            catch (CancelledError)
            {
                g.Print("t2 cancelled:", t2.Cancelled);
            }
        }
        g.Loop.RunUntilComplete(Main());
    }
}

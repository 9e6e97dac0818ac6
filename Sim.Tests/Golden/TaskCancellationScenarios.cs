using Sim.Core;

namespace Sim.Tests.Golden;

/// <summary>C# twins of the task cancellation scenarios (Scenarios/task_01 to task_06, task_13).</summary>
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

    [Golden("task_04_swallow_cancellation")]
    public static void SwallowCancellation(GoldenContext g)
    {
        async Coroutine<string> Stubborn()
        {
            try
            {
                await Asyncio.Sleep(1);
            }
            catch (CancelledError)
            {
                var task = Asyncio.CurrentTask()!;
                g.Print("caught cancellation, cancelling():", task.Cancelling());
                g.Print("uncancel() ->", task.Uncancel());
            }
            await Asyncio.Sleep(0.01);
            g.Print("still running after the swallowed cancellation");
            return "survived";
        }
        async Coroutine Main()
        {
            var t = Asyncio.GetRunningLoop().CreateTask(Stubborn());
            await Asyncio.Sleep(0);
            g.Print("cancel:", t.Cancel());
            g.Print("cancelling() right after cancel:", t.Cancelling());
            g.Print("result:", await t);
            g.Print("cancelled:", t.Cancelled, "cancelling():", t.Cancelling());
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

    [Golden("task_13_cancelling_counts")]
    public static void CancellingCounts(GoldenContext g)
    {
        async Coroutine<int> Worker()
        {
            var caught = 0;
            for (var attempt = 0; attempt < 2; attempt++)
            {
                try
                {
                    await Asyncio.Sleep(1);
                }
                catch (CancelledError)
                {
                    caught++;
                    var me = Asyncio.CurrentTask()!;
                    g.Print("attempt", attempt, "caught; cancelling():", me.Cancelling());
                    g.Print("uncancel() ->", me.Uncancel());
                }
            }
            return caught;
        }
        async Coroutine Main()
        {
            var t = Asyncio.GetRunningLoop().CreateTask(Worker());
            await Asyncio.Sleep(0);
            g.Print("first cancel:", t.Cancel(), "second cancel:", t.Cancel());
            g.Print("cancelling():", t.Cancelling());
            await Asyncio.Sleep(0);
            await Asyncio.Sleep(0);
            g.Print("after the first catch, cancelling():", t.Cancelling());
            g.Print("third cancel:", t.Cancel());
            g.Print("caught", await t, "times; cancelling():", t.Cancelling(), "cancelled:", t.Cancelled);
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

    [Golden("task_16_inner_swallows_cancel")]
    public static void InnerSwallowsCancel(GoldenContext g)
    {
        async Coroutine<string> Inner()
        {
            try
            {
                await Asyncio.Sleep(1);
            }
            catch (CancelledError)
            {
                g.Print("inner swallows the cancellation");
            }
            return "inner value";
        }
        async Coroutine<string> Outer(EventLoop loop)
        {
            var value = await loop.CreateTask(Inner());
            g.Print("outer got", value, "cancelling:", Asyncio.CurrentTask()!.Cancelling());
            await Asyncio.Sleep(0);
            g.Print("outer keeps running");
            return value.ToUpperInvariant();
        }
        async Coroutine Main()
        {
            var loop = Asyncio.GetRunningLoop();
            var o = loop.CreateTask(Outer(loop));
            await Asyncio.Sleep(0);
            await Asyncio.Sleep(0);
            g.Print("cancel outer:", o.Cancel());
            g.Print("outer result:", await o, "cancelled:", o.Cancelled);
        }
        g.Loop.RunUntilComplete(Main());
    }

    [Golden("task_18_cancel_twice_messages")]
    public static void CancelTwiceMessages(GoldenContext g)
    {
        async Coroutine<string> Worker(Future<string> fut)
        {
            try
            {
                await fut;
            }
            catch (CancelledError e)
            {
                g.Print("worker sees:", e.CancelMessage);
            }
            try
            {
                await Asyncio.Sleep(0);
                g.Print("the next await is not cancelled");
            }
            catch (CancelledError e)
            {
                g.Print("cancelled again:", e.CancelMessage);
            }
            return "worker done";
        }
        async Coroutine Main()
        {
            var loop = Asyncio.GetRunningLoop();
            var fut = loop.CreateFuture<string>();
            var t = loop.CreateTask(Worker(fut));
            await Asyncio.Sleep(0);
            g.Print("cancel 1:", t.Cancel("first"), "future cancelled:", fut.Cancelled);
            g.Print("cancel 2:", t.Cancel("second"), "cancelling:", t.Cancelling());
            g.Print("result:", await t);
        }
        g.Loop.RunUntilComplete(Main());
    }

    [Golden("task_19_cleanup_awaits_while_cancelled")]
    public static void CleanupAwaitsWhileCancelled(GoldenContext g)
    {
        async Coroutine Cleanup(string step)
        {
            g.Print("cleanup", step, "starts");
            await Asyncio.Sleep(0.01);
            g.Print("cleanup", step, "ends");
        }
        async Coroutine Worker()
        {
            try
            {
                try
                {
                    g.Print("worker waits");
                    await Asyncio.Sleep(1);
                }
                catch (CancelledError)
                {
                    g.Print("worker caught; cancelling():", Asyncio.CurrentTask()!.Cancelling());
                    await Cleanup("in except");
                    throw;
                }
                finally
                {
                    await Cleanup("in finally");
                }
            }
            finally
            {
                g.Print("outer finally, no await");
            }
        }
        async Coroutine Main()
        {
            var t = Asyncio.GetRunningLoop().CreateTask(Worker());
            await Asyncio.Sleep(0);
            t.Cancel();
            await Asyncio.Sleep(0);
            g.Print("main: task done yet:", t.Done);
            try
            {
                await t;
            }
            catch (CancelledError)
            {
                g.Print("main: cancelled:", t.Cancelled);
            }
        }
        g.Loop.RunUntilComplete(Main());
    }
}

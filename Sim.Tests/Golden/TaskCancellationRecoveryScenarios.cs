using Sim.Core;

namespace Sim.Tests.Golden;

/// <summary>C# twins of the task cancellation scenarios about what follows a delivered
/// cancellation: swallowing it, counting requests, cleanup awaits, repeated requests
/// (Scenarios/task_04, 13, 16, 18, 19, 21).</summary>
internal static class TaskCancellationRecoveryScenarios
{
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

    [Golden("task_21_sleep_cancel_details")]
    public static void SleepCancelDetails(GoldenContext g)
    {
        async Coroutine<string> Sleeper(Future<string> fut)
        {
            g.Print("sleep with a result:", await Asyncio.Sleep(0.01, "slept"));
            try
            {
                await Asyncio.Sleep(0.02);
            }
            catch (CancelledError e)
            {
                g.Print("sleep cancelled:", e.CancelMessage);
            }
            g.Print("now waiting on the future (the old sleep was due at +30ms)");
            g.Print("future gave:", await fut);
            return "sleeper done";
        }
        async Coroutine Twice()
        {
            try
            {
                await Asyncio.Sleep(1);
            }
            catch (CancelledError e)
            {
                g.Print("twice sees:", e.CancelMessage);
            }
            await Asyncio.Sleep(0);
            g.Print("twice: the next sleep is not cancelled");
        }
        async Coroutine Main()
        {
            var loop = Asyncio.GetRunningLoop();
            var fut = loop.CreateFuture<string>();
            var t = loop.CreateTask(Sleeper(fut));
            await Asyncio.Sleep(0.015);
            t.Cancel("stop sleeping");
            loop.CallLater(0.04, fut.SetResult, "set at +55ms");
            await Asyncio.Sleep(0.03);
            g.Print("main at +45ms: sleeper done:", t.Done);
            g.Print(await t);

            var t2 = loop.CreateTask(Twice());
            await Asyncio.Sleep(0);
            g.Print("cancel 1:", t2.Cancel("first"), "cancel 2:", t2.Cancel("second"));
            await t2;
            g.Print("t2 cancelling:", t2.Cancelling(), "cancelled:", t2.Cancelled);
        }
        g.Loop.RunUntilComplete(Main());
    }
}

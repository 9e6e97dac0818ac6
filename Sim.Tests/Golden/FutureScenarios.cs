using Sim.Core;

namespace Sim.Tests.Golden;

/// <summary>C# twins of the future scenarios (Scenarios/future_*.py).</summary>
internal static class FutureScenarios
{
    private sealed class Boom(string message) : Exception(message);

    [Golden("future_01_done_callbacks_scheduled")]
    public static void DoneCallbacksScheduled(GoldenContext g)
    {
        var loop = g.Loop;
        var fut = loop.CreateFuture<string>();
        fut.AddDoneCallback(f => g.Print("cb1 sees result", f.Result()));
        fut.AddDoneCallback(f => g.Print("cb2 sees done", f.Done));
        loop.CallSoon(() => g.Print("callback scheduled before set_result"));
        fut.SetResult("value");
        g.Print("set_result returned; callbacks not run yet");
        fut.AddDoneCallback(_ => g.Print("cb3 added after completion"));
        g.Print("cb3 added; not run yet");
        loop.CallSoon(() => g.Print("callback scheduled after cb3"));
        loop.CallSoon(loop.Stop);
        loop.RunForever();
        g.Print("done");
        loop.Close();
    }

    [Golden("future_02_remove_done_callback")]
    public static void RemoveDoneCallback(GoldenContext g)
    {
        var loop = g.Loop;
        var fut = loop.CreateFuture<Unit>();
        void A(Future<Unit> f) => g.Print("a runs");
        void B(Future<Unit> f) => g.Print("b runs");
        void Never(Future<Unit> f) => g.Print("never runs");
        fut.AddDoneCallback(A);
        fut.AddDoneCallback(B);
        fut.AddDoneCallback(A);
        fut.AddDoneCallback(B);
        g.Print("removed a:", fut.RemoveDoneCallback(A));
        g.Print("removed a again:", fut.RemoveDoneCallback(A));
        g.Print("removed unknown:", fut.RemoveDoneCallback(Never));
        fut.SetResult(Unit.Value);
        g.Print("removed b after completion:", fut.RemoveDoneCallback(B));
        loop.CallSoon(loop.Stop);
        loop.RunForever();
        g.Print("done");
        loop.Close();
    }

    [Golden("future_03_state_machine")]
    public static void StateMachine(GoldenContext g)
    {
        var loop = g.Loop;
        void Attempt(string what, Func<object?> action)
        {
            try
            {
                g.Print(what, "->", action());
            }
            catch (InvalidStateException)
            {
                g.Print(what, "-> InvalidStateError");
            }
            catch (CancelledError)
            {
                g.Print(what, "-> CancelledError");
            }
        }
        var fut = loop.CreateFuture<int>();
        g.Print("pending: done", fut.Done, "cancelled", fut.Cancelled);
        Attempt("result() while pending", () => fut.Result());
        Attempt("exception() while pending", fut.Exception);
        fut.SetResult(1);
        g.Print("finished: done", fut.Done, "cancelled", fut.Cancelled);
        Attempt("result()", () => fut.Result());
        Attempt("exception()", fut.Exception);
        Attempt("set_result again", () =>
        {
            fut.SetResult(2);
            return null;
        });
        Attempt("set_exception after result", () =>
        {
            fut.SetException(new ArgumentException("x"));
            return null;
        });
        Attempt("cancel() when done", () => fut.Cancel());
        Attempt("result() still", () => fut.Result());

        var cancelled = loop.CreateFuture<int>();
        Attempt("cancel() pending", () => cancelled.Cancel());
        g.Print("cancelled: done", cancelled.Done, "cancelled", cancelled.Cancelled);
        Attempt("cancel() again", () => cancelled.Cancel());
        Attempt("result() of cancelled", () => cancelled.Result());
        Attempt("exception() of cancelled", cancelled.Exception);
        Attempt("set_result on cancelled", () =>
        {
            cancelled.SetResult(3);
            return null;
        });
        loop.Close();
    }

    [Golden("future_04_exception")]
    public static void FinishedWithException(GoldenContext g)
    {
        async Coroutine Main()
        {
            var loop = Asyncio.GetRunningLoop();
            var fut = loop.CreateFuture<string>();
            async Coroutine<string?> Waiter()
            {
                try
                {
                    await fut;
                }
                catch (Boom e)
                {
                    g.Print("waiter caught", e.GetType().Name, e.Message);
                    return "handled";
                }
                return null;
            }
            var t = loop.CreateTask(Waiter());
            await Asyncio.Sleep(0);
            fut.SetException(new Boom("bad thing"));
            g.Print("done", fut.Done, "cancelled", fut.Cancelled);
            g.Print("exception():", fut.Exception()!.GetType().Name, fut.Exception()!.Message);
            try
            {
                fut.Result();
            }
            catch (Boom e)
            {
                g.Print("result() raised", e.GetType().Name, e.Message);
            }
            g.Print("waiter returned", await t);
        }
        g.Loop.RunUntilComplete(Main());
    }

    [Golden("future_05_cancel_message")]
    public static void CancelMessage(GoldenContext g)
    {
        async Coroutine Main()
        {
            var loop = Asyncio.GetRunningLoop();
            var fut = loop.CreateFuture<string>();
            fut.AddDoneCallback(f => g.Print("callback: cancelled", f.Cancelled));
            async Coroutine<string?> Waiter()
            {
                try
                {
                    await fut;
                }
                catch (CancelledError e)
                {
                    g.Print("waiter got CancelledError:", e.CancelMessage);
                    return "waiter survived";
                }
                return null;
            }
            var t = loop.CreateTask(Waiter());
            await Asyncio.Sleep(0);
            g.Print("cancel:", fut.Cancel("no longer needed"));
            g.Print("waiter:", await t);
            g.Print("task cancelled:", t.Cancelled);
            var plain = loop.CreateFuture<string>();
            plain.Cancel();
            try
            {
                plain.Result();
            }
            catch (CancelledError e)
            {
                g.Print("no message:", e.CancelMessage);
            }
        }
        g.Loop.RunUntilComplete(Main());
    }

    [Golden("future_06_many_waiters")]
    public static void ManyWaiters(GoldenContext g)
    {
        async Coroutine Main()
        {
            var loop = Asyncio.GetRunningLoop();
            var fut = loop.CreateFuture<string>();
            async Coroutine Waiter(string name)
            {
                g.Print(name, "waits");
                var value = await fut;
                g.Print(name, "got", value);
            }
            var tasks = new[] { "w1", "w2", "w3" }.Select(n => loop.CreateTask(Waiter(n))).ToList();
            await Asyncio.Sleep(0);
            fut.SetResult("go");
            g.Print("main set the result");
            await Asyncio.Sleep(0);
            g.Print("main after one iteration:", tasks.Select(t => t.Done).ToList());
        }
        g.Loop.RunUntilComplete(Main());
    }

    [Golden("future_07_callbacks_and_waiters_order")]
    public static void CallbacksAndWaitersOrder(GoldenContext g)
    {
        static async Coroutine<string> Target()
        {
            await Asyncio.Sleep(0.01);
            return "target value";
        }
        async Coroutine Waiter(LoopTask<string> t, string name)
        {
            g.Print(name, "awaits the target");
            g.Print(name, "woke with", await t);
        }
        async Coroutine Main()
        {
            var loop = Asyncio.GetRunningLoop();
            var t = loop.CreateTask(Target());
            t.AddDoneCallback(f => g.Print("callback 1 sees", f.Result()));
            var w1 = loop.CreateTask(Waiter(t, "w1"));
            await Asyncio.Sleep(0);
            void Second(Future<string> f)
            {
                g.Print("callback 2 adds callback 4");
                f.AddDoneCallback(_ => g.Print("callback 4 (added late)"));
            }
            t.AddDoneCallback(Second);
            var w2 = loop.CreateTask(Waiter(t, "w2"));
            await Asyncio.Sleep(0);
            t.AddDoneCallback(_ => g.Print("callback 3"));
            await w1;
            await w2;
            await Asyncio.Sleep(0);
            g.Print("main done");
        }
        g.Loop.RunUntilComplete(Main());
    }
}

using Sim.Core;

namespace Sim.Tests.Golden;

/// <summary>Timeout scopes (Scenarios/comp_13, comp_14).</summary>
internal static partial class CompositionScenarios
{
    [Golden("comp_13_timeout_scope")]
    public static void TimeoutScopeBasics(GoldenContext g)
    {
        async Coroutine Main()
        {
            var loop = Asyncio.GetRunningLoop();
            var t = Asyncio.Timeout(1);
            await using (t)
                await Asyncio.Sleep(0.1);
            g.Print("in time: expired", t.Expired);

            t = Asyncio.Timeout(0.1);
            try
            {
                await using (t)
                {
                    try
                    {
                        await Asyncio.Sleep(10);
                    }
                    catch (CancelledError)
                    {
                        g.Print("body cancelled; expired already:", t.Expired);
                        throw;
                    }
                }
            }
            catch (TimeoutException e)
            {
                g.Print("raised", Name(e), "expired:", t.Expired, "cancelling:", Asyncio.CurrentTask()!.Cancelling());
            }

            var start = loop.Time();
            t = Asyncio.Timeout(0.2);
            await using (t)
            {
                g.Print("deadline in", Math.Round(t.When!.Value - start, 2));
                t.Reschedule(loop.Time() + 1);
                g.Print("moved to", Math.Round(t.When!.Value - start, 2));
                await Asyncio.Sleep(0.5);
            }
            g.Print("later deadline: expired", t.Expired);

            try
            {
                t = Asyncio.Timeout(5);
                await using (t)
                {
                    t.Reschedule(loop.Time() + 0.1);
                    await Asyncio.Sleep(1);
                }
            }
            catch (TimeoutException)
            {
                g.Print("earlier deadline: TimeoutError");
            }

            t = Asyncio.Timeout(0.1);
            await using (t)
            {
                t.Reschedule(null);
                g.Print("when after reschedule(None):", t.When);
                await Asyncio.Sleep(0.3);
            }
            g.Print("never: expired", t.Expired);

            t = Asyncio.Timeout(null);
            await using (t)
                await Asyncio.Sleep(0.1);
            g.Print("timeout(None): expired", t.Expired);

            try
            {
                t = Asyncio.Timeout(1);
                await using (t)
                {
                    t.Reschedule(loop.Time() - 1);
                    await Asyncio.Sleep(1);
                }
            }
            catch (TimeoutException)
            {
                g.Print("deadline in the past: TimeoutError");
            }

            try
            {
                t = Asyncio.TimeoutAt(loop.Time() + 0.1);
                await using (t)
                    await Asyncio.Sleep(1);
            }
            catch (TimeoutException)
            {
                g.Print("timeout_at: TimeoutError");
            }

            try
            {
                t.Reschedule(loop.Time() + 1);
            }
            catch (InvalidOperationException e)
            {
                g.Print("reschedule after exit:", Name(e), e.Message);
            }
        }
        g.Loop.RunUntilComplete(Main());
    }

    [Golden("comp_14_timeout_nested_outer_cancel")]
    public static void TimeoutNestedOuterCancel(GoldenContext g)
    {
        async Coroutine Nested(string label)
        {
            var outer = Asyncio.Timeout(1);
            await using (outer)
            {
                var inner = Asyncio.Timeout(0.1);
                try
                {
                    await using (inner)
                        await Asyncio.Sleep(10);
                }
                catch (TimeoutException)
                {
                    g.Print(label, "inner TimeoutError caught; inner expired", inner.Expired, "outer expired", outer.Expired);
                }
                await Asyncio.Sleep(10);
            }
        }
        async Coroutine CancelledInside(string label, double deadline)
        {
            TimeoutScope? inner = null;
            try
            {
                await using (Asyncio.Timeout(5))
                {
                    inner = Asyncio.Timeout(deadline);
                    await using (inner)
                        await Asyncio.Sleep(10);
                }
            }
            catch (TimeoutException)
            {
                g.Print(label, "TimeoutError (wrong)");
            }
            catch (CancelledError e)
            {
                g.Print(label, "CancelledError propagates:", Args(e), "inner expired:", inner!.Expired);
                throw;
            }
        }
        async Coroutine Main()
        {
            var loop = Asyncio.GetRunningLoop();
            try
            {
                await Nested("nested:");
            }
            catch (TimeoutException)
            {
                g.Print("nested: outer TimeoutError; cancelling:", Asyncio.CurrentTask()!.Cancelling());
            }

            var t = loop.CreateTask(CancelledInside("outer cancel:", 2));
            await Asyncio.Sleep(0.5);
            t.Cancel("stop");
            try
            {
                await t;
            }
            catch (CancelledError)
            {
                g.Print("outer cancel: task cancelled", t.Cancelled);
            }

            t = loop.CreateTask(CancelledInside("same iteration:", 0.5));
            await Asyncio.Sleep(0);
            loop.CallLater(0.5, () => t.Cancel("stop too"));
            try
            {
                await t;
            }
            catch (CancelledError)
            {
                g.Print("same iteration: task cancelled", t.Cancelled);
            }

            var scope = Asyncio.Timeout(0.1);
            await using (scope)
            {
                try
                {
                    await Asyncio.Sleep(1);
                }
                catch (CancelledError)
                {
                    g.Print("swallowed; uncancel ->", Asyncio.CurrentTask()!.Uncancel());
                }
            }
            g.Print("swallowed: expired", scope.Expired, "and no TimeoutError");
        }
        g.Loop.RunUntilComplete(Main());
    }
}

using Sim.Core;

namespace Sim.Tests.Golden;

/// <summary>C# twins of the task and future scenarios (Scenarios/task_*.py).</summary>
internal static class TaskScenarios
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
}

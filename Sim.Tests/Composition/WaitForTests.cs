using Sim.Core;
using Sim.Tests.Infrastructure;

namespace Sim.Tests.Composition;

/// <summary>
/// WaitFor follows Python 3.12, where <c>wait_for</c> is a timeout scope around an inline await.
/// The golden scenarios are recorded with CPython 3.11, whose <c>wait_for</c> differs in these
/// cases; each expectation below is what CPython 3.12.1 prints for the same program.
/// </summary>
[Trait("Category", "Unit")]
public sealed class WaitForTests
{
    [Fact]
    public void WaitFor_FutureCompletedInTheDeadlinesIteration_TimesOutAndKeepsTheResult()
    {
        // 3.12: "same iteration: TimeoutError; future cancelled: False done: True same time"
        var loop = TestLoops.NewLoop();
        async Coroutine<string> Main()
        {
            var future = loop.CreateFuture<string>();
            loop.CallLater(0.1, () => future.SetResult("same time"));
            try
            {
                return await Asyncio.WaitFor(future, 0.1);
            }
            catch (TimeoutException)
            {
                return $"TimeoutError cancelled={future.Cancelled} result={future.Result()}";
            }
        }
        Assert.Equal("TimeoutError cancelled=False result=same time", loop.RunUntilComplete(Main()));
    }

    [Fact]
    public void WaitFor_Coroutine_RunsInlineInTheCallingTask()
    {
        // 3.12: "inline: True" (3.11 wrapped the coroutine in a task of its own).
        var loop = TestLoops.NewLoop();
        async Coroutine<bool> Who(ILoopTask caller)
        {
            await Asyncio.Sleep(0.1);
            return ReferenceEquals(Asyncio.CurrentTask(), caller);
        }
        async Coroutine<bool> Main() => await Asyncio.WaitFor(Who(Asyncio.CurrentTask()!), 1);
        Assert.True(loop.RunUntilComplete(Main()));
    }

    [Fact]
    public void WaitFor_OuterCancelThenDeadlineDuringCleanup_CleanupInterruptedAndCancelledErrorRaised()
    {
        // 3.12: "runner: True 1 [('cancelled', ('from outside',))]": the message reaches the inline
        // coroutine, the deadline cancels its cleanup, and the outer cancellation is not swallowed.
        var loop = TestLoops.NewLoop();
        var log = new List<string>();
        async Coroutine Inner()
        {
            try
            {
                await Asyncio.Sleep(10);
            }
            catch (CancelledError e)
            {
                log.Add($"cancelled '{e.CancelMessage}' at {loop.Time()}");
                await Asyncio.Sleep(2);
                log.Add("cleaned up");
                throw;
            }
        }
        async Coroutine Runner() => await Asyncio.WaitFor(Inner(), 1);
        async Coroutine<string> Main()
        {
            var runner = loop.CreateTask(Runner());
            await Asyncio.Sleep(0.5);
            runner.Cancel("from outside");
            var error = await Assert.ThrowsAsync<CancelledError>(async () => await runner);
            return $"cancelled={runner.Cancelled} cancelling={runner.Cancelling()} at {loop.Time()}";
        }
        Assert.Equal("cancelled=True cancelling=1 at 1", loop.RunUntilComplete(Main()));
        Assert.Equal(["cancelled 'from outside' at 0.5"], log);
    }

    [Fact]
    public void WaitFor_InTime_LeavesNoTimerAndNoCancelCount()
    {
        var loop = TestLoops.NewLoop();
        async Coroutine<int> Main()
        {
            var value = await Asyncio.WaitFor(Asyncio.Sleep(0.1, 7), 5);
            Assert.Equal(0, Asyncio.CurrentTask()!.Cancelling());
            return value;
        }
        Assert.Equal(7, loop.RunUntilComplete(Main()));
        Assert.Contains("timers=0", loop.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void WaitFor_TimeoutException_CarriesTheCancelledErrorAsInner()
    {
        var loop = TestLoops.NewLoop();
        async Coroutine<Exception?> Main()
        {
            try
            {
                await Asyncio.WaitFor(Asyncio.Sleep(10), TimeSpan.FromSeconds(0.5));
                return null;
            }
            catch (TimeoutException e)
            {
                return e.InnerException;
            }
        }
        Assert.IsType<CancelledError>(loop.RunUntilComplete(Main()));
        Assert.Equal(0.5, loop.Time());
    }
}

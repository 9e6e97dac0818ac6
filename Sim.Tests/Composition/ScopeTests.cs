using Sim.Core;
using Sim.Tests.Infrastructure;

namespace Sim.Tests.Composition;

/// <summary>
/// How the <c>await using</c> scopes (TimeoutScope, TaskGroup) end. C#'s <c>await using</c>
/// does not tell DisposeAsync which exception leaves the block; these tests pin down what the
/// scopes infer (documented on the types) and the exact alternative, TaskGroup.Run.
/// </summary>
[Trait("Category", "Unit")]
public sealed class ScopeTests
{
    private sealed class Boom(string message) : Exception(message);

    private static async Coroutine Sleeper(List<string> log, string name, double delay = 10)
    {
        try
        {
            await Asyncio.Sleep(delay);
            log.Add(name + " finished");
        }
        catch (CancelledError)
        {
            log.Add(name + " cancelled");
            throw;
        }
    }

    [Fact]
    public void TimeoutScope_DisposeAsync_CompletesWithoutSuspending()
    {
        // Ending a scope takes no loop iteration: the next line runs in the same step.
        var loop = TestLoops.NewLoop();
        var steps = new List<string>();
        async Coroutine Ticker()
        {
            steps.Add("ticker");
            await Asyncio.Sleep(0);
            steps.Add("ticker");
        }
        async Coroutine Main()
        {
            var ticker = loop.CreateTask(Ticker());
            await Asyncio.Sleep(0);
            await using (Asyncio.Timeout(1))
                steps.Add("body");
            steps.Add("after scope");
            await ticker;
        }
        loop.RunUntilComplete(Main());
        Assert.Equal(["ticker", "body", "after scope", "ticker"], steps);
    }

    [Fact]
    public void TimeoutScope_BlockSwallowsItsCancellationWithoutUncancel_GetsTimeoutException()
    {
        // asyncio would leave normally here (its __aexit__ is told no exception is leaving); the
        // scope can only see that the cancel count is still raised. Calling Uncancel() after
        // swallowing, as asyncio asks, leaves normally (golden comp_14).
        var loop = TestLoops.NewLoop();
        async Coroutine<string> Main()
        {
            var scope = Asyncio.Timeout(0.1);
            try
            {
                await using (scope)
                {
                    try
                    {
                        await Asyncio.Sleep(1);
                    }
                    catch (CancelledError)
                    {
                    }
                }
                return "left normally";
            }
            catch (TimeoutException)
            {
                return $"TimeoutException expired={scope.Expired} cancelling={Asyncio.CurrentTask()!.Cancelling()}";
            }
        }
        Assert.Equal("TimeoutException expired=True cancelling=0", loop.RunUntilComplete(Main()));
    }

    [Fact]
    public void TimeoutScope_Disposed_Twice_IsHarmless()
    {
        var loop = TestLoops.NewLoop();
        async Coroutine<bool> Main()
        {
            var scope = Asyncio.Timeout(0.1);
            await Asyncio.Sleep(0.05);
            await scope.DisposeAsync();
            await scope.DisposeAsync();
            await Asyncio.Sleep(0.2);
            return scope.Expired;
        }
        Assert.False(loop.RunUntilComplete(Main()));
    }

    [Fact]
    public void TimeoutScope_ToString_ShowsStateAndDeadline()
    {
        var loop = TestLoops.NewLoop();
        async Coroutine<string> Main()
        {
            var scope = Asyncio.TimeoutAt(12.3456);
            var active = scope.ToString();
            await scope.DisposeAsync();
            return active + " " + scope;
        }
        Assert.Equal("<Timeout [active] when=12.346> <Timeout [finished]>", loop.RunUntilComplete(Main()));
    }

    [Fact]
    public void TaskGroup_AwaitUsingBlockThrows_ChildrenRunToTheEndThenTheExceptionLeaves()
    {
        // The documented limit of await using: the block's own exception is invisible to
        // DisposeAsync, so the group waits for its children instead of cancelling them.
        var loop = TestLoops.NewLoop();
        var log = new List<string>();
        async Coroutine Main()
        {
            var group = new TaskGroup();
            await using (group)
            {
                _ = group.CreateTask(Sleeper(log, "child", delay: 1));
                await Asyncio.Sleep(0.1);
                throw new Boom("block");
            }
        }
        var error = Assert.Throws<Boom>(() => loop.RunUntilComplete(Main()));
        Assert.Equal("block", error.Message);
        Assert.Equal(["child finished"], log);
        Assert.Equal(1, loop.Time());
    }

    [Fact]
    public void NestedTaskGroup_ChildFailsWhileTheBlockWaits_LeavesNoCancelBehind_TheOuterGroupsChildrenRunOn()
    {
        // The inner group cancels its parent task to wake it when the child fails; that request
        // is taken back once the children are done (CPython 3.13, gh-116720), so the outer
        // group's await using does not see a cancellation leaving its block.
        var loop = TestLoops.NewLoop();
        var log = new List<string>();
        async Coroutine Fails()
        {
            await Asyncio.Sleep(0.01);
            throw new Boom("child");
        }
        async Coroutine<int> Main()
        {
            var me = Asyncio.CurrentTask()!;
            var outer = new TaskGroup();
            int cancellingAfterInner;
            await using (outer)
            {
                _ = outer.CreateTask(Sleeper(log, "healthy", delay: 0.05));
                try
                {
                    var inner = new TaskGroup();
                    await using (inner)
                    {
                        _ = inner.CreateTask(Fails());
                    }
                }
                catch (ExceptionGroup group)
                {
                    Assert.Equal("child", Assert.IsType<Boom>(Assert.Single(group.InnerExceptions)).Message);
                }
                cancellingAfterInner = me.Cancelling();
            }
            return cancellingAfterInner + me.Cancelling();
        }
        Assert.Equal(0, loop.RunUntilComplete(Main()));
        Assert.Equal(["healthy finished"], log);
    }

    [Fact]
    public void TaskGroup_CancelledFromOutside_ChildFailsOnItsCancellation_GroupErrorThenTheCancellationAtTheNextAwait()
    {
        // Failures have priority over the cancellation, which is not lost: the parent is
        // cancelled again and raises at its next await, its count unchanged (CPython 3.13).
        var loop = TestLoops.NewLoop();
        var log = new List<string>();
        async Coroutine FailsWhenCancelled()
        {
            try
            {
                await Asyncio.Sleep(10);
            }
            catch (CancelledError)
            {
                throw new Boom("on cancel");
            }
        }
        async Coroutine Main()
        {
            var me = Asyncio.CurrentTask()!;
            try
            {
                var group = new TaskGroup();
                await using (group)
                {
                    _ = group.CreateTask(FailsWhenCancelled());
                }
            }
            catch (ExceptionGroup group)
            {
                log.Add($"group: {group.InnerExceptions[0].Message}, cancelling {me.Cancelling()}");
            }
            try
            {
                await Asyncio.Sleep(0);
                log.Add("next await ran");
            }
            catch (CancelledError)
            {
                log.Add($"next await cancelled, cancelling {me.Cancelling()}");
                throw;
            }
        }
        var main = loop.CreateTask(Main());
        loop.CallLater(0.1, () => main.Cancel());
        Assert.Throws<CancelledError>(() => loop.RunUntilComplete(main));
        Assert.Equal(["group: on cancel, cancelling 1", "next await cancelled, cancelling 1"], log);
    }

    [Fact]
    public void TaskGroupRun_BodyThrows_ChildrenCancelledAndErrorJoinsTheGroup()
    {
        var loop = TestLoops.NewLoop();
        var log = new List<string>();
        async Coroutine Main() => await TaskGroup.Run(async group =>
        {
            _ = group.CreateTask(Sleeper(log, "child", delay: 1));
            await Asyncio.Sleep(0.1);
            throw new Boom("block");
        });
        var error = Assert.Throws<ExceptionGroup>(() => loop.RunUntilComplete(Main()));
        Assert.Equal("block", Assert.IsType<Boom>(Assert.Single(error.Exceptions)).Message);
        Assert.Equal(["child cancelled"], log);
        Assert.Equal(0.1, loop.Time());
    }

    [Fact]
    public void TaskGroupRun_WithResult_ReturnsItOnceEveryChildHasFinished()
    {
        var loop = TestLoops.NewLoop();
        var log = new List<string>();
        async Coroutine<string> Main() => await TaskGroup.Run(async group =>
        {
            _ = group.CreateTask(Sleeper(log, "child", delay: 2));
            await Asyncio.Sleep(0.1);
            return "body result";
        });
        Assert.Equal("body result", loop.RunUntilComplete(Main()));
        Assert.Equal(["child finished"], log);
        Assert.Equal(2, loop.Time());
    }

    [Fact]
    public void TaskGroupRun_ParentCancelled_CancelledErrorWithItsMessageLeaves()
    {
        var loop = TestLoops.NewLoop();
        var log = new List<string>();
        async Coroutine Body() => await TaskGroup.Run(async group =>
        {
            _ = group.CreateTask(Sleeper(log, "child"));
            await Asyncio.Sleep(10);
        });
        async Coroutine<string?> Main()
        {
            var task = loop.CreateTask(Body());
            await Asyncio.Sleep(0.5);
            task.Cancel("stop");
            var error = await Assert.ThrowsAsync<CancelledError>(async () => await task);
            return error.CancelMessage;
        }
        Assert.Equal("stop", loop.RunUntilComplete(Main()));
        Assert.Equal(["child cancelled"], log);
    }

    [Fact]
    public void TaskGroup_ChildFailsAfterTheParentFinished_ReportsToTheExceptionHandler()
    {
        // A group never ended (no await using) outlives its parent: asyncio reports the orphan's
        // failure to the loop's exception handler.
        var loop = TestLoops.NewLoop();
        var contexts = new List<ExceptionContext>();
        loop.SetExceptionHandler((_, context) => contexts.Add(context));
        async Coroutine Fail()
        {
            await Asyncio.Sleep(1);
            throw new Boom("orphan");
        }
        async Coroutine Parent()
        {
            var group = new TaskGroup();
            _ = group.CreateTask(Fail());
            await Asyncio.Sleep(0);
        }
        async Coroutine Main()
        {
            await loop.CreateTask(Parent());
            await Asyncio.Sleep(2);
        }
        loop.RunUntilComplete(Main());
        var context = Assert.Single(contexts, c => c.Exception is Boom);
        Assert.Contains("has errored out but its parent task", context.Message, StringComparison.Ordinal);
        Assert.NotNull(context.Task);
    }

    [Fact]
    public void TaskGroup_ToString_ShowsTasksErrorsAndState()
    {
        var loop = TestLoops.NewLoop();
        async Coroutine<string> Main()
        {
            var group = new TaskGroup();
            _ = group.CreateTask(Asyncio.Sleep(0.1));
            var text = group.ToString();
            await group.DisposeAsync();
            return text + " " + group;
        }
        Assert.Equal("<TaskGroup tasks=1 entered> <TaskGroup entered>", loop.RunUntilComplete(Main()));
    }
}

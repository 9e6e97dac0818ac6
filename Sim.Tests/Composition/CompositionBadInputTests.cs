using Sim.Core;
using Sim.Tests.Infrastructure;

namespace Sim.Tests.Composition;

/// <summary>
/// Programmer errors in the composition functions get a clear exception at the call that made
/// them, before anything starts. asyncio rejects no negative timeout here (0 or less means
/// "already expired"), so neither does SimLoop; NaN has no meaning and is rejected.
/// </summary>
[Trait("Category", "Unit")]
public sealed class CompositionBadInputTests
{
    private static async Coroutine<int> Value(int value)
    {
        await Asyncio.Sleep(0);
        return value;
    }

    private static void RunInTask(Func<Coroutine> body)
    {
        var loop = TestLoops.NewLoop();
        loop.RunUntilComplete(body());
    }

    [Fact]
    public void Gather_NullArguments_ThrowArgumentNull()
    {
        Assert.Throws<ArgumentNullException>(() => Asyncio.Gather((Coroutine<int>[])null!));
        Assert.Throws<ArgumentNullException>(() => Asyncio.Gather((Future<int>[])null!));
        Assert.Throws<ArgumentNullException>(() => Asyncio.Gather((object[])null!));
        Assert.Throws<ArgumentNullException>(() => Asyncio.Gather(null!, returnExceptions: true));
    }

    [Fact]
    public void Gather_ArgumentNotAwaitable_ThrowsNamingItAndStartsNothing()
    {
        RunInTask(async () =>
        {
            var error = Assert.Throws<ArgumentException>(() => Asyncio.Gather(Value(1), "not awaitable"));
            Assert.Equal("awaitables", error.ParamName);
            Assert.Contains("Argument 1 is a String", error.Message, StringComparison.Ordinal);
            Assert.Contains("WrapFuture", error.Message, StringComparison.Ordinal);
            await Asyncio.Sleep(0);
            Assert.Single(Asyncio.AllTasks());
        });
    }

    [Fact]
    public void Gather_NullElement_ThrowsArgument()
    {
        RunInTask(async () =>
        {
            var error = Assert.Throws<ArgumentException>(() => Asyncio.Gather(Value(1), null!));
            Assert.Contains("Argument 1 is null", error.Message, StringComparison.Ordinal);
            await Asyncio.Sleep(0);
        });
    }

    [Fact]
    public void Gather_FuturesOfTwoLoops_ThrowsArgument()
    {
        var first = TestLoops.NewLoop().CreateFuture<int>();
        var second = TestLoops.NewLoop().CreateFuture<int>();
        var error = Assert.Throws<ArgumentException>(() => Asyncio.Gather(first, second));
        Assert.Contains("different loop", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Gather_CoroutinesWithNoLoopRunning_ThrowsInvalidOperation()
    {
        var error = Assert.Throws<InvalidOperationException>(() => Asyncio.Gather(Value(1)));
        Assert.Contains("no running event loop", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Wait_BadArguments_ThrowAtTheCall()
    {
        var loop = TestLoops.NewLoop();
        var future = loop.CreateFuture<int>();
        Assert.Throws<ArgumentNullException>(() => Asyncio.Wait<Future<int>>(null!));
        var empty = Assert.Throws<ArgumentException>(() => Asyncio.Wait(Array.Empty<Future<int>>()));
        Assert.Contains("empty", empty.Message, StringComparison.Ordinal);
        var nullItem = Assert.Throws<ArgumentException>(() => Asyncio.Wait([future, null!]));
        Assert.Contains("Item 1 is null", nullItem.Message, StringComparison.Ordinal);
        var nan = Assert.Throws<ArgumentOutOfRangeException>(() => Asyncio.Wait([future], timeout: double.NaN));
        Assert.Equal("timeout", nan.ParamName);
        var returnWhen = Assert.Throws<ArgumentOutOfRangeException>(() => Asyncio.Wait([future], returnWhen: (ReturnWhen)7));
        Assert.Equal("returnWhen", returnWhen.ParamName);
    }

    [Fact]
    public void Wait_NegativeTimeout_ReturnsAfterOneIterationLikeAsyncio()
    {
        var loop = TestLoops.NewLoop();
        async Coroutine<int> Main()
        {
            var pending = loop.CreateFuture<int>();
            var (done, notDone) = await Asyncio.Wait([pending], timeout: -5);
            Assert.Empty(done);
            Assert.Same(pending, Assert.Single(notDone));
            Assert.False(pending.Cancelled);
            return 0;
        }
        loop.RunUntilComplete(Main());
        Assert.Equal(0, loop.TimeNs());
    }

    [Fact]
    public void WaitFor_BadArguments_ThrowAtTheCall()
    {
        var loop = TestLoops.NewLoop();
        Assert.Throws<ArgumentNullException>(() => Asyncio.WaitFor((Coroutine<int>)null!, 1));
        Assert.Throws<ArgumentNullException>(() => Asyncio.WaitFor((Future<int>)null!, 1));
        var nan = Assert.Throws<ArgumentOutOfRangeException>(() => Asyncio.WaitFor(loop.CreateFuture<int>(), double.NaN));
        Assert.Equal("timeout", nan.ParamName);
        Assert.Contains("NaN", nan.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AsCompleted_BadArguments_ThrowAtTheCallNotWhenEnumerated()
    {
        var loop = TestLoops.NewLoop();
        Assert.Throws<ArgumentNullException>(() => Asyncio.AsCompleted((IEnumerable<Future<int>>)null!));
        Assert.Throws<ArgumentNullException>(() => Asyncio.AsCompleted((IEnumerable<Coroutine<int>>)null!));
        Assert.Throws<ArgumentOutOfRangeException>(() => Asyncio.AsCompleted([loop.CreateFuture<int>()], double.NaN));
        Assert.Throws<ArgumentException>(() => Asyncio.AsCompleted(new Future<int>[] { null! }));
    }

    [Fact]
    public void Timeout_OutsideATask_ThrowsInvalidOperation()
    {
        Assert.Throws<InvalidOperationException>(() => Asyncio.Timeout(1));
        var loop = TestLoops.NewLoop();
        Exception? inCallback = null;
        loop.CallSoon(() =>
        {
            inCallback = Record.Exception(() => Asyncio.Timeout(1));
            loop.Stop();
        });
        loop.RunForever();
        var error = Assert.IsType<InvalidOperationException>(inCallback);
        Assert.Contains("inside a task", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Timeout_NaN_ThrowsArgumentOutOfRange()
    {
        RunInTask(async () =>
        {
            Assert.Equal("delay", Assert.Throws<ArgumentOutOfRangeException>(() => Asyncio.Timeout(double.NaN)).ParamName);
            Assert.Equal("when", Assert.Throws<ArgumentOutOfRangeException>(() => Asyncio.TimeoutAt(double.NaN)).ParamName);
            var scope = Asyncio.Timeout(1);
            await using (scope)
                Assert.Equal("when", Assert.Throws<ArgumentOutOfRangeException>(() => scope.Reschedule(double.NaN)).ParamName);
        });
    }

    [Fact]
    public void TimeoutScope_RescheduleAfterItEnded_ThrowsNamingTheState()
    {
        RunInTask(async () =>
        {
            var scope = Asyncio.Timeout(1);
            await using (scope)
                await Asyncio.Sleep(0);
            var error = Assert.Throws<InvalidOperationException>(() => scope.Reschedule(5));
            Assert.Equal("Cannot change state of finished Timeout", error.Message);
            await scope.DisposeAsync();
        });
    }

    [Fact]
    public void TaskGroup_OutsideATask_ThrowsInvalidOperation()
    {
        Assert.Throws<InvalidOperationException>(() => new TaskGroup());
        var loop = TestLoops.NewLoop();
        Exception? inCallback = null;
        loop.CallSoon(() =>
        {
            inCallback = Record.Exception(() => new TaskGroup());
            loop.Stop();
        });
        loop.RunForever();
        var error = Assert.IsType<InvalidOperationException>(inCallback);
        Assert.Contains("cannot determine the parent task", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TaskGroup_NullArguments_ThrowArgumentNull()
    {
        Assert.Throws<ArgumentNullException>(() => TaskGroup.Run(null!));
        Assert.Throws<ArgumentNullException>(() => TaskGroup.Run<int>(null!));
        RunInTask(async () =>
        {
            var group = new TaskGroup();
            await using (group)
                Assert.Throws<ArgumentNullException>(() => group.CreateTask<int>(null!));
        });
    }

    [Fact]
    public void Shield_EnsureFuture_WrapFuture_ToThread_NullArguments_ThrowArgumentNull()
    {
        Assert.Throws<ArgumentNullException>(() => Asyncio.Shield((Future<int>)null!));
        Assert.Throws<ArgumentNullException>(() => Asyncio.EnsureFuture((Future<int>)null!));
        Assert.Throws<ArgumentNullException>(() => Asyncio.EnsureFuture((Coroutine<int>)null!));
        Assert.Throws<ArgumentNullException>(() => Asyncio.WrapFuture((Task<int>)null!));
        Assert.Throws<ArgumentNullException>(() => Asyncio.WrapFuture((Task)null!));
        Assert.Throws<ArgumentNullException>(() => Asyncio.ToThread((Func<int>)null!));
        Assert.Throws<ArgumentNullException>(() => Asyncio.ToThread((Action)null!));
    }

    [Fact]
    public void EnsureFuture_FutureOfAnotherLoop_ThrowsArgument()
    {
        var future = TestLoops.NewLoop().CreateFuture<int>();
        var error = Assert.Throws<ArgumentException>(() => Asyncio.EnsureFuture(future, TestLoops.NewLoop()));
        Assert.Equal("loop", error.ParamName);
    }

    [Fact]
    public void RunCoroutineThreadsafe_BadArguments_Throw()
    {
        var loop = TestLoops.NewLoop();
        // Statement lambdas: the calls return a Task, but they throw before returning it.
        Assert.Throws<ArgumentNullException>(() => { _ = Asyncio.RunCoroutineThreadsafe(Value(1), null!); });
        Assert.Throws<ArgumentNullException>(() => { _ = Asyncio.RunCoroutineThreadsafe<int>(null!, loop); });
        loop.Close();
        var closed = Assert.Throws<InvalidOperationException>(() => { _ = Asyncio.RunCoroutineThreadsafe(Value(1), loop); });
        Assert.Contains("closed", closed.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ExceptionGroup_WithoutExceptions_ThrowsArgument()
    {
        Assert.Throws<ArgumentException>(() => new ExceptionGroup("nothing"));
        var group = new ExceptionGroup("two", new InvalidOperationException("a"), new ArgumentException("b"));
        Assert.Equal("two (2 sub-exceptions)", group.Message);
        Assert.Equal("two", group.GroupMessage);
        Assert.Equal(2, group.Exceptions.Count);
        Assert.Equal("one (1 sub-exception)", new ExceptionGroup("one", new InvalidOperationException()).Message);
    }
}

using Sim.Core;
using Sim.Tests.Infrastructure;

namespace Sim.Tests.Scheduling;

/// <summary>
/// Programmer errors get a clear exception at the call that made them, with a message that says
/// what was probably meant; the loop stays usable afterwards.
/// </summary>
[Trait("Category", "Unit")]
public sealed class BadInputTests
{
    [Fact]
    public void CallLater_NegativeDelay_ThrowsArgumentOutOfRangeSuggestingCallSoon()
    {
        var loop = TestLoops.NewLoop();
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => loop.CallLater(-0.5, () => { }));
        Assert.Equal("delay", error.ParamName);
        Assert.Contains("non-negative", error.Message, StringComparison.Ordinal);
        Assert.Contains("CallSoon", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void CallLater_NaNDelay_ThrowsArgumentOutOfRange()
    {
        var loop = TestLoops.NewLoop();
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => loop.CallLater(double.NaN, () => { }));
        Assert.Equal("delay", error.ParamName);
        Assert.Contains("non-negative number of seconds", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void CallLater_BadDelay_SchedulesNothing()
    {
        var loop = TestLoops.NewLoop();
        Assert.Throws<ArgumentOutOfRangeException>(() => loop.CallLater(-1, () => Assert.Fail("scheduled despite the error")));
        Assert.Throws<ArgumentOutOfRangeException>(() => loop.CallLater(-1, _ => Assert.Fail("scheduled despite the error"), 0));
        Assert.Contains("timers=0", loop.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void CallAt_NaN_ThrowsArgumentOutOfRangeNamingNaN()
    {
        var loop = TestLoops.NewLoop();
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => loop.CallAt(double.NaN, () => { }));
        Assert.Equal("when", error.ParamName);
        Assert.Contains("NaN", error.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentOutOfRangeException>(() => loop.CallAt(double.NaN, _ => { }, 0));
    }

    [Fact]
    public void Sleep_NaN_ThrowsAtTheCallNotAtTheAwait()
    {
        // Raised when the sleep is created, before any loop runs: the caller sees it where the bug is.
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => Asyncio.Sleep(double.NaN));
        Assert.Equal("delay", error.ParamName);
        Assert.Contains("NaN", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void SlowCallbackDuration_Negative_ThrowsAndKeepsTheOldValue()
    {
        var loop = TestLoops.NewLoop();
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => loop.SlowCallbackDuration = -0.1);
        Assert.Contains("SlowCallbackDuration must be a non-negative number of seconds", error.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentOutOfRangeException>(() => loop.SlowCallbackDuration = double.NaN);
        Assert.Equal(0.1, loop.SlowCallbackDuration);
    }

    [Fact]
    public void Await_FutureOfAnotherLoopInsideTask_RaisesAtTheAwaitNamingTheOtherLoop()
    {
        var loop = TestLoops.NewLoop();
        var other = TestLoops.NewLoop();
        var foreign = other.CreateFuture<int>();
        async Coroutine<string> Main()
        {
            try
            {
                await foreign;
                return "no error";
            }
            catch (InvalidOperationException error)
            {
                return error.Message;
            }
        }
        var message = loop.RunUntilComplete(Main());
        Assert.Contains("attached to a different loop", message, StringComparison.Ordinal);
        Assert.False(foreign.Done);
    }

    [Fact]
    public void Close_RunningLoop_ThrowsAndLoopKeepsRunning()
    {
        var loop = TestLoops.NewLoop();
        InvalidOperationException? error = null;
        loop.CallSoon(() => error = Assert.Throws<InvalidOperationException>(loop.Close));
        loop.CallSoon(loop.Stop);
        loop.RunForever();
        Assert.NotNull(error);
        Assert.Equal("Cannot close a running event loop", error.Message);
        Assert.False(loop.IsClosed);
        loop.Close();
        Assert.True(loop.IsClosed);
    }

    [Fact]
    public void RunForever_ClosedLoop_ThrowsEventLoopIsClosed()
    {
        var loop = TestLoops.NewLoop();
        loop.Close();
        var error = Assert.Throws<InvalidOperationException>(loop.RunForever);
        Assert.Equal("Event loop is closed", error.Message);
        Assert.False(loop.IsRunning);
    }

    [Fact]
    public void CallSoon_ClosedLoop_ThrowsEventLoopIsClosed()
    {
        var loop = TestLoops.NewLoop();
        loop.Close();
        Assert.Equal("Event loop is closed", Assert.Throws<InvalidOperationException>(() => loop.CallSoon(() => { })).Message);
        Assert.Equal("Event loop is closed", Assert.Throws<InvalidOperationException>(() => loop.CallSoonThreadsafe(() => { })).Message);
        Assert.Equal("Event loop is closed", Assert.Throws<InvalidOperationException>(() => loop.CallLater(1, () => { })).Message);
    }

    [Fact]
    public void SetResult_Twice_ThrowsInvalidStateAndKeepsTheFirstResult()
    {
        var loop = TestLoops.NewLoop();
        var future = loop.CreateFuture<int>();
        future.SetResult(1);
        var error = Assert.Throws<InvalidStateException>(() => future.SetResult(2));
        Assert.Contains("FINISHED", error.Message, StringComparison.Ordinal);
        Assert.Contains("result=1", error.Message, StringComparison.Ordinal);
        Assert.Equal(1, future.Result());
    }

    [Fact]
    public void Result_PendingFuture_ThrowsInvalidStateResultIsNotReady()
    {
        var loop = TestLoops.NewLoop();
        var future = loop.CreateFuture<int>();
        Assert.Equal("Result is not ready.", Assert.Throws<InvalidStateException>(() => future.Result()).Message);
        Assert.Equal("Exception is not set.", Assert.Throws<InvalidStateException>(() => future.Exception()).Message);
    }

    [Fact]
    public void RunUntilComplete_WhileRunning_ThrowsAlreadyRunning()
    {
        var loop = TestLoops.NewLoop();
        var inner = loop.CreateFuture<int>();
        InvalidOperationException? error = null;
        async Coroutine Main()
        {
            error = Assert.Throws<InvalidOperationException>(() => loop.RunUntilComplete(inner));
            await Asyncio.Sleep(0);
        }
        loop.RunUntilComplete(Main());
        Assert.NotNull(error);
        Assert.Equal("This event loop is already running", error.Message);
        Assert.False(loop.IsRunning);
    }

    [Fact]
    public void RunForever_WhileAnotherLoopRunsOnThisThread_Throws()
    {
        var outer = TestLoops.NewLoop();
        var inner = TestLoops.NewLoop();
        InvalidOperationException? error = null;
        outer.CallSoon(() => error = Assert.Throws<InvalidOperationException>(inner.RunForever));
        outer.CallSoon(outer.Stop);
        outer.RunForever();
        Assert.NotNull(error);
        Assert.Equal("Cannot run the event loop while another loop is running", error.Message);
        Assert.False(inner.IsRunning);
        // The inner loop was left untouched and still runs normally afterwards.
        inner.CallSoon(inner.Stop);
        inner.RunForever();
    }

    [Fact]
    public void Await_SameCoroutineTwice_RaisesCannotReuse()
    {
        var loop = TestLoops.NewLoop();
        static async Coroutine<int> Child() => await Asyncio.Sleep(0, 7);
        async Coroutine<string> Main()
        {
            var child = Child();
            Assert.Equal(7, await child);
            try
            {
                await child;
                return "no error";
            }
            catch (InvalidOperationException error)
            {
                return error.Message;
            }
        }
        Assert.Equal("cannot reuse already awaited coroutine 'Child'", loop.RunUntilComplete(Main()));
    }

    [Fact]
    public void CreateTask_AlreadyAwaitedCoroutine_ThrowsCannotReuse()
    {
        var loop = TestLoops.NewLoop();
        static async Coroutine<int> Child() => await Asyncio.Sleep(0, 7);
        var child = Child();
        Assert.Equal(7, loop.RunUntilComplete(child));
        var error = Assert.Throws<InvalidOperationException>(() => loop.CreateTask(child));
        Assert.Equal("cannot reuse already awaited coroutine 'Child'", error.Message);
        Assert.Empty(loop.AllTasks());
    }

    [Fact]
    public void SetResult_OnLoopTask_ThrowsTaskDoesNotSupportIt()
    {
        var loop = TestLoops.NewLoop();
        static async Coroutine<int> Child() => await Asyncio.Sleep(0, 7);
        var task = loop.CreateTask(Child());
        Assert.Equal("Task does not support set_result operation", Assert.Throws<InvalidOperationException>(() => task.SetResult(1)).Message);
        Assert.Equal("Task does not support set_exception operation", Assert.Throws<InvalidOperationException>(() => task.SetException(new InvalidCastException())).Message);
        Assert.Equal(7, loop.RunUntilComplete(task));
    }

    public static TheoryData<string> NullArgumentCalls() =>
    [
        "new EventLoop(clock: null)",
        "new EventLoop(backend: null)",
        "CallSoon(null)",
        "CallSoon<T>(null, state)",
        "CallSoonThreadsafe(null)",
        "CallLater(1, null)",
        "CallAt(1, null)",
        "CallAtNs(1, null, state)",
        "CreateTask(null)",
        "RunUntilComplete((Future<int>)null)",
        "RunUntilComplete((Coroutine<int>)null)",
        "RunUntilComplete((Task<int>)null)",
        "RunUntilComplete((Task)null)",
        "RunInExecutor((Func<int>)null)",
        "SetDefaultExecutor(null)",
        "CallExceptionHandler(null)",
        "Future.AddDoneCallback(null)",
        "Future.SetException(null)",
        "new Future<int>(null)",
    ];

    [Theory]
    [MemberData(nameof(NullArgumentCalls))]
    public void PublicMethod_NullArgument_ThrowsArgumentNullException(string call)
    {
        var loop = TestLoops.NewLoop();
        var future = loop.CreateFuture<int>();
        Action action = call switch
        {
            "new EventLoop(clock: null)" => () => _ = new EventLoop(null!, loop.Backend),
            "new EventLoop(backend: null)" => () => _ = new EventLoop(loop.Clock, null!),
            "CallSoon(null)" => () => loop.CallSoon(null!),
            "CallSoon<T>(null, state)" => () => loop.CallSoon<int>(null!, 1),
            "CallSoonThreadsafe(null)" => () => loop.CallSoonThreadsafe(null!),
            "CallLater(1, null)" => () => loop.CallLater(1, null!),
            "CallAt(1, null)" => () => loop.CallAt(1, null!),
            "CallAtNs(1, null, state)" => () => loop.CallAtNs<int>(1, null!, 1),
            "CreateTask(null)" => () => loop.CreateTask<int>(null!),
            "RunUntilComplete((Future<int>)null)" => () => loop.RunUntilComplete((Future<int>)null!),
            "RunUntilComplete((Coroutine<int>)null)" => () => loop.RunUntilComplete((Coroutine<int>)null!),
            "RunUntilComplete((Task<int>)null)" => () => loop.RunUntilComplete((Task<int>)null!),
            "RunUntilComplete((Task)null)" => () => loop.RunUntilComplete((Task)null!),
            "RunInExecutor((Func<int>)null)" => () => loop.RunInExecutor((Func<int>)null!),
            "SetDefaultExecutor(null)" => () => loop.SetDefaultExecutor(null!),
            "CallExceptionHandler(null)" => () => loop.CallExceptionHandler(null!),
            "Future.AddDoneCallback(null)" => () => future.AddDoneCallback((Action<Future<int>>)null!),
            "Future.SetException(null)" => () => future.SetException(null!),
            "new Future<int>(null)" => () => _ = new Future<int>(null!),
            _ => throw new ArgumentOutOfRangeException(nameof(call), call, "unknown case"),
        };
        Assert.NotNull(Assert.Throws<ArgumentNullException>(action).ParamName);
        // Nothing was half-done: the future is untouched and the loop still works.
        Assert.False(future.Done);
        loop.CallSoon(loop.Stop);
        loop.RunForever();
    }
}

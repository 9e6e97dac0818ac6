using Sim.Core;
using Sim.Tests.Infrastructure;

namespace Sim.Tests.Composition;

/// <summary>
/// Gather makes one child per distinct argument, however often it is passed (asyncio's
/// <c>arg_to_fut</c>): a coroutine passed twice runs once, in one task; a future passed twice,
/// pending or done, is waited on once; the results still come in argument order.
/// </summary>
[Trait("Category", "Unit")]
public sealed class GatherArgumentTests
{
    private static async Coroutine<int> Value(int value)
    {
        await Asyncio.Sleep(0);
        return value;
    }

    [Fact]
    public void Gather_SameArgumentsPassedTwice_OneChildEach_ResultsInArgumentOrder()
    {
        // CPython: tasks added 2, [1, 7, 1, 9, 7, 9, 2]
        var loop = TestLoops.NewLoop();
        async Coroutine Main()
        {
            var coroutine = Value(1);
            var done = loop.CreateFuture<int>();
            done.SetResult(7);
            var pending = loop.CreateFuture<int>();
            loop.CallLater(0.01, () => pending.SetResult(9));
            var before = Asyncio.AllTasks().Count;
            var gathered = Asyncio.Gather(coroutine, done, coroutine, pending, done, pending, Value(2));
            Assert.Equal(2, Asyncio.AllTasks().Count - before);
            var results = await gathered;
            Assert.Equal([1, 7, 1, 9, 7, 9, 2], results);
        }
        loop.RunUntilComplete(Main());
    }

    [Fact]
    public void Gather_TypedFuturesPassedTwice_WaitsForEachOnce()
    {
        var loop = TestLoops.NewLoop();
        async Coroutine Main()
        {
            var first = loop.CreateTask(Value(3));
            var second = loop.CreateTask(Value(4));
            var results = await Asyncio.Gather(first, second, first, first);
            Assert.Equal([3, 4, 3, 3], results);
        }
        loop.RunUntilComplete(Main());
    }

    [Fact]
    public void Gather_CoroutineAlreadyWrappedInATask_ThrowsReuseError()
    {
        var loop = TestLoops.NewLoop();
        async Coroutine Main()
        {
            var coroutine = Value(1);
            var task = loop.CreateTask(coroutine);
            var error = Assert.Throws<InvalidOperationException>(() => Asyncio.Gather(coroutine));
            Assert.Equal("cannot reuse already awaited coroutine 'Value'", error.Message);
            Assert.Equal(1, await task);
        }
        loop.RunUntilComplete(Main());
    }
}

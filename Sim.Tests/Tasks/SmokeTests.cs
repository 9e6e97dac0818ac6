using Sim.Core;
using Sim.Tests.Infrastructure;

namespace Sim.Tests.Tasks;

[Trait("Category", "Unit")]
public sealed class SmokeTests
{
    [Fact]
    public void Coroutine_AwaitingSleepAndChild_ReturnsResult()
    {
        var loop = TestLoops.NewLoop();
        var log = new List<string>();
        async Coroutine<int> Child(int x)
        {
            log.Add($"child start {x}");
            await Asyncio.Sleep(1);
            log.Add($"child end {x}");
            return x * 2;
        }
        async Coroutine<int> Main()
        {
            log.Add("main start");
            var a = await Child(1);
            var t = loop.CreateTask(Child(5));
            var b = await t;
            log.Add($"main end {a + b} at {loop.Time()}");
            return a + b;
        }
        Assert.Equal(12, loop.RunUntilComplete(Main()));
        Assert.Equal(["main start", "child start 1", "child end 1", "child start 5", "child end 5", "main end 12 at 2"], log);
    }
}

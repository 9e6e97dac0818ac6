using System.Runtime.CompilerServices;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Sim.Core;
using Sim.Tests.Infrastructure;

namespace Sim.Tests.Properties;

/// <summary>
/// Pooled coroutines (<see cref="PoolingCoroutineMethodBuilder{T}"/>) under random schedules:
/// several tasks call the same pooled methods (one awaiting the other), each call waiting a random
/// number of times for random delays, some raising, some tasks cancelled part-way. Every call must
/// return its own result or raise its own error, whichever task it runs in and whatever object the
/// pool handed it; a cancelled task ends cancelled; the pool serves correctly afterwards.
/// </summary>
[Trait("Category", "Property")]
public sealed class PoolingCoroutineProperties
{
    private sealed record Call(int Value, int[] Delays, bool Fails);

    private sealed record Schedule(Call[][] Tasks, int?[] CancelAfterMs);

    private static Gen<Call> CallGen() =>
        from value in Gen.Choose(0, 1_000)
        from waits in Gen.Choose(0, 3)
        from delays in Gen.ArrayOf(Gen.Choose(0, 3), waits)
        from fails in Gen.Frequency((1, Gen.Constant(true)), (5, Gen.Constant(false)))
        select new Call(value, delays, fails);

    private static Gen<Schedule> ScheduleGen() =>
        from taskCount in Gen.Choose(1, 5)
        from tasks in Gen.ArrayOf(Gen.Choose(0, 12).SelectMany(calls => Gen.ArrayOf(CallGen(), calls)), taskCount)
        from cancels in Gen.ArrayOf(
            Gen.Frequency((1, Gen.Choose(0, 20).Select(ms => (int?)ms)), (3, Gen.Constant((int?)null))),
            taskCount)
        select new Schedule(tasks, cancels);

    [AsyncMethodBuilder(typeof(PoolingCoroutineMethodBuilder<>))]
    private static async Coroutine<int> Inner(int value, int[] delays)
    {
        foreach (var delay in delays)
            await Asyncio.Sleep(delay / 1000.0);
        return value;
    }

    [AsyncMethodBuilder(typeof(PoolingCoroutineMethodBuilder<>))]
    private static async Coroutine<int> Outer(Call call)
    {
        var value = await Inner(call.Value, call.Delays);
        if (call.Fails)
            throw new InvalidOperationException($"call {call.Value} fails");
        return value * 3;
    }

    private static async Coroutine<int> RunCalls(Call[] calls)
    {
        var sum = 0;
        foreach (var call in calls)
        {
            try
            {
                var result = await Outer(call);
                Assert.False(call.Fails, $"call {call.Value} should have raised");
                Assert.Equal(call.Value * 3, result);
                sum += result;
            }
            catch (InvalidOperationException error) when (call.Fails)
            {
                Assert.Equal($"call {call.Value} fails", error.Message);
            }
        }
        return sum;
    }

    [Property(MaxTest = 200)]
    public Property InterleavedPooledCalls_EachReturnTheirOwnResult() =>
        Prop.ForAll(Arb.From(ScheduleGen()), schedule =>
        {
            var loop = TestLoops.NewLoop();
            async Coroutine Main()
            {
                var tasks = schedule.Tasks.Select(calls => loop.CreateTask(RunCalls(calls))).ToArray();
                for (var i = 0; i < tasks.Length; i++)
                {
                    if (schedule.CancelAfterMs[i] is { } ms)
                    {
                        var task = tasks[i];
                        loop.CallLater(ms / 1000.0, () => task.Cancel());
                    }
                }
                await Asyncio.Wait(tasks);
                for (var i = 0; i < tasks.Length; i++)
                {
                    if (tasks[i].Cancelled)
                    {
                        Assert.NotNull(schedule.CancelAfterMs[i]);
                        continue;
                    }
                    var expected = schedule.Tasks[i].Where(call => !call.Fails).Sum(call => call.Value * 3);
                    Assert.Equal(expected, tasks[i].Result());
                }
                // The pool still serves a plain call correctly.
                Assert.Equal(21, await Outer(new Call(7, [1], Fails: false)));
            }
            loop.RunUntilComplete(Main());
        });
}

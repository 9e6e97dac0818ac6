using System.Runtime.CompilerServices;
using Sim.Core;
using Sim.Tests.Infrastructure;

namespace Sim.Tests.Tasks;

/// <summary>
/// An <c>async</c> method built with <see cref="PoolingCoroutineMethodBuilder{T}"/> leaves its
/// coroutine, once awaited inline and its result read, to the method's next call on the thread;
/// the stream reader's reads and the writer's drain are built so. What user code can see must stay
/// asyncio's: every call runs its own body with its own arguments, even when tasks interleave the
/// same method, or a call finishes at once while the last one's frames are still unwinding; a
/// coroutine awaited twice raises; one wrapped in a task, awaited by plain .NET code or that raised
/// is never handed out again, nor is any in a debug loop; a pooled coroutine keeps nothing of its
/// last call alive.
/// </summary>
[Trait("Category", "Unit")]
public sealed class PoolingCoroutineTests
{
    [AsyncMethodBuilder(typeof(PoolingCoroutineMethodBuilder<>))]
    private static async Coroutine<int> TwiceAfterAStep(int value)
    {
        await Asyncio.Sleep(0);
        return value * 2;
    }

    [AsyncMethodBuilder(typeof(PoolingCoroutineMethodBuilder<>))]
    private static async Coroutine<int> Twice(int value)
    {
        await Task.CompletedTask;
        return value * 2;
    }

    [AsyncMethodBuilder(typeof(PoolingCoroutineMethodBuilder))]
    private static async Coroutine Step(List<int> log, int value)
    {
        await Asyncio.Sleep(0);
        log.Add(value);
    }

    [AsyncMethodBuilder(typeof(PoolingCoroutineMethodBuilder<>))]
    private static async Coroutine<int> FailAfterAStep(string message)
    {
        await Asyncio.Sleep(0);
        throw new InvalidOperationException(message);
    }

    [Fact]
    public void AwaitedInline_TheNextCallReusesTheCoroutine_WithItsOwnArguments()
    {
        var loop = TestLoops.NewLoop();
        async Coroutine Main()
        {
            var first = TwiceAfterAStep(1);
            Assert.Equal(2, await first);
            var second = TwiceAfterAStep(5);
            Assert.Same(first, second);
            Assert.Equal(10, await second);

            var log = new List<int>();
            var step = Step(log, 1);
            await step;
            var nextStep = Step(log, 2);
            Assert.Same(step, nextStep);
            await nextStep;
            Assert.Equal([1, 2], log);
        }
        loop.RunUntilComplete(Main());
    }

    [Fact]
    public void TasksInterleavingTheSameMethod_EachGetTheirOwnResults()
    {
        // Three tasks call the same pooled method in turn, each call suspending once: the one
        // spare moves from task to task, and no call ever sees another's arguments or result.
        var loop = TestLoops.NewLoop();
        async Coroutine<long> Worker(int offset)
        {
            long sum = 0;
            for (var i = 0; i < 1_000; i++)
            {
                var doubled = await TwiceAfterAStep(offset + i);
                Assert.Equal(2 * (offset + i), doubled);
                sum += doubled;
            }
            return sum;
        }
        async Coroutine<long[]> Main() => await Asyncio.Gather(Worker(0), Worker(10_000), Worker(20_000));

        var sums = loop.RunUntilComplete(Main());

        Assert.Equal([999_000L, 20_999_000L, 40_999_000L], sums);
    }

    [Fact]
    public void ACoroutineAwaitedTwice_StillRaises()
    {
        var loop = TestLoops.NewLoop();
        async Coroutine Main()
        {
            var call = TwiceAfterAStep(3);
            Assert.Equal(6, await call);
            var error = await Assert.ThrowsAsync<InvalidOperationException>(async () => await call);
            Assert.Contains("cannot reuse already awaited coroutine", error.Message, StringComparison.Ordinal);
        }
        loop.RunUntilComplete(Main());
    }

    [Fact]
    public void ACoroutineWrappedInATask_IsNotHandedOutAgain()
    {
        var loop = TestLoops.NewLoop();
        async Coroutine Main()
        {
            var call = TwiceAfterAStep(4);
            var task = loop.CreateTask(call);
            Assert.Equal(8, await task);
            Assert.NotSame(call, TwiceAfterAStep(0));
            Assert.Same(call, task.GetCoro());
        }
        loop.RunUntilComplete(Main());
    }

    [Fact]
    public void ACoroutineThatRaised_IsNotHandedOutAgain_AndTheNextCallRunsCleanly()
    {
        var loop = TestLoops.NewLoop();
        async Coroutine Main()
        {
            // Awaited inline, by this coroutine itself (a lambda handed to Assert.ThrowsAsync
            // would be plain .NET code, whose await wraps the coroutine in a task).
            var failing = FailAfterAStep("first");
            try
            {
                await failing;
                Assert.Fail("the call did not raise");
            }
            catch (InvalidOperationException error)
            {
                Assert.Equal("first", error.Message);
            }
            var next = TwiceAfterAStep(2);
            Assert.Equal(4, await next);
            var failingAgain = FailAfterAStep("second");
            Assert.NotSame(failing, failingAgain);
            try
            {
                await failingAgain;
                Assert.Fail("the call did not raise");
            }
            catch (InvalidOperationException error)
            {
                Assert.Equal("second", error.Message);
            }
        }
        loop.RunUntilComplete(Main());
    }

    [AsyncMethodBuilder(typeof(PoolingCoroutineMethodBuilder<>))]
    private static async Coroutine<int> MaybeAfterAStep(int value, bool step)
    {
        if (step)
            await Asyncio.Sleep(0);
        return value;
    }

    [Fact]
    public void ACallThatFinishesAtOnce_WhileTheLastOneIsStillUnwinding_GetsItsOwnResult()
    {
        // A call that suspended resumes its caller from inside its own last step; the caller's
        // next call gets the same object back at once and may finish there and then, or suspend,
        // before the first call's frames have unwound.
        var loop = TestLoops.NewLoop();
        async Coroutine<long> Main()
        {
            long sum = 0;
            for (var i = 0; i < 1_000; i++)
                sum += await MaybeAfterAStep(i, step: i % 3 != 1);
            return sum;
        }
        Assert.Equal(499_500L, loop.RunUntilComplete(Main()));
    }

    [Fact]
    public void PooledReadsAwaitingPooledReads_ReturnEachLineWhole_AsItArrivesInPieces()
    {
        // ReadLine awaits ReadUntil, both pooled; every line arrives in two callbacks.
        var loop = TestLoops.NewLoop();
        var reader = new Sim.Core.StreamReader(loop: loop);
        async Coroutine<int> ReadLines(int count)
        {
            for (var i = 0; i < count; i++)
            {
                var line = $"line {i}\n";
                loop.CallSoon(() => reader.FeedData(System.Text.Encoding.ASCII.GetBytes(line[..3])));
                loop.CallSoon(() => reader.FeedData(System.Text.Encoding.ASCII.GetBytes(line[3..])));
                Assert.Equal(line, System.Text.Encoding.ASCII.GetString(await reader.ReadLine()));
            }
            reader.FeedData("a\nb\nc"u8.ToArray());
            reader.FeedEof();
            Assert.Equal("a\nb\nc", System.Text.Encoding.ASCII.GetString(await reader.Read()));
            return count;
        }
        Assert.Equal(500, loop.RunUntilComplete(ReadLines(500)));
    }

    [Fact]
    public void APooledReadTimedOutWhileWaiting_LeavesTheNextReadItsBytes()
    {
        var loop = TestLoops.NewLoop();
        var reader = new Sim.Core.StreamReader(loop: loop);
        async Coroutine Main()
        {
            for (var i = 0; i < 3; i++)
            {
                await Assert.ThrowsAsync<TimeoutException>(async () => await Asyncio.WaitFor(reader.ReadLine(), 0.5));
                loop.CallLater(0.1, () => reader.FeedData("hello\n"u8.ToArray()));
                Assert.Equal("hello\n", System.Text.Encoding.ASCII.GetString(await reader.ReadLine()));
            }
        }
        loop.RunUntilComplete(Main());
    }
    [Fact]
    public void ACoroutineAwaitedByPlainDotNetCode_IsNotHandedOutAgain()
    {
        var loop = TestLoops.NewLoop();
        async Task<int> Foreign(Coroutine<int> call) => await call;
        async Coroutine Main()
        {
            var call = Twice(21);
            Assert.Equal(42, await Foreign(call));
            Assert.NotSame(call, Twice(0));
        }
        loop.RunUntilComplete(Main());
    }

    [Fact]
    public void InDebugMode_EveryCallIsANewCoroutine_EvenWithOnePooledBefore()
    {
        var pooled = TestLoops.NewLoop().RunUntilComplete(AwaitOneCall());
        var loop = TestLoops.NewLoop(debug: true);
        async Coroutine Main()
        {
            var call = TwiceAfterAStep(1);
            Assert.NotSame(pooled, call);
            await call;
            var next = TwiceAfterAStep(2);
            Assert.NotSame(call, next);
            Assert.Equal(4, await next);
        }
        loop.RunUntilComplete(Main());
    }

    private static async Coroutine<Coroutine<int>> AwaitOneCall()
    {
        var call = TwiceAfterAStep(1);
        await call;
        return call;
    }

    [Fact]
    public void APooledCoroutine_DoesNotKeepItsLastCallsArgumentsOrResultAlive()
    {
        var loop = TestLoops.NewLoop();
        var (argument, result) = loop.RunUntilComplete(PassThroughOne());
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        Assert.False(argument.IsAlive, "the pooled coroutine still holds its last argument");
        Assert.False(result.IsAlive, "the pooled coroutine still holds its last result");
    }

    [AsyncMethodBuilder(typeof(PoolingCoroutineMethodBuilder<>))]
    private static async Coroutine<object> PassThrough(object argument)
    {
        await Asyncio.Sleep(0);
        return new object[] { argument };
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static async Coroutine<(WeakReference Argument, WeakReference Result)> PassThroughOne()
    {
        var argument = new object();
        var result = await PassThrough(argument);
        return (new WeakReference(argument), new WeakReference(result));
    }

    [Fact]
    public void AReadIntoLoopThatWaitsForEachChunk_AllocatesNothingInTheSteadyState()
    {
        // Callbacks untraced: the trace's own records are not the reader's allocations.
        var loop = new Sim.Net.Simulation(1, new Sim.Net.SimulationOptions { TraceCallbacks = false }).Loop;
        var reader = new Sim.Core.StreamReader(loop: loop);
        var feeder = new Feeder(reader, new byte[64]);
        var buffer = new byte[256];
        long allocated = -1;
        async Coroutine<long> ReadChunks(int count)
        {
            long total = 0;
            for (var i = 0; i < count; i++)
            {
                // Fed in a later callback, so every read waits, as a socket's reader does.
                loop.CallSoon(static feeder => feeder.Feed(), feeder);
                total += await reader.ReadInto(buffer);
            }
            return total;
        }
        async Coroutine Main()
        {
            Assert.Equal(100 * 64, await ReadChunks(100));
            var reading = ReadChunks(10_000);
            var before = GC.GetAllocatedBytesForCurrentThread();
            var total = await reading;
            allocated = GC.GetAllocatedBytesForCurrentThread() - before;
            Assert.Equal(10_000 * 64, total);
        }
        loop.RunUntilComplete(Main());
        Assert.Equal(0, allocated);
    }

    private sealed class Feeder(Sim.Core.StreamReader reader, byte[] chunk)
    {
        public void Feed() => reader.FeedData(chunk);
    }
}

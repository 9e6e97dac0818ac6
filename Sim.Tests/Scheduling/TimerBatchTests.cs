using Sim.Core;
using Sim.Net;
using Sim.Tests.Infrastructure;

namespace Sim.Tests.Scheduling;

/// <summary>
/// Timers due in large numbers at once: the overdue batch (timers already due when scheduled),
/// sorted in buckets, merged with the heap's due timers, run from the due list; and the
/// handles of overdue timers (cancel before, while and after they run).
/// </summary>
[Trait("Category", "Unit")]
public sealed class TimerBatchTests
{
    [Theory]
    [InlineData(20, 1_000_000L)]                  // below the insertion sort's limit
    [InlineData(20_000, 50_000_000_000L)]          // buckets, each radix-sorted
    [InlineData(5_000, 300L)]                      // deadlines of few bits: many ties per bucket
    public void CallAt_ManyDeadlinesInThePast_RunInDeadlineThenSequenceOrderSkippingCancelled(int count, long spreadNs)
    {
        var loop = TestLoops.NewLoop();
        var choices = new SeededChoices(7);
        var deadlines = new long[count];
        var handles = new TimerHandle[count];
        var ran = new List<int>();
        for (var i = 0; i < count; i++)
        {
            // A third share a handful of deadlines, so ties are common.
            deadlines[i] = -1 - (choices.NextInt(3) == 0 ? choices.NextInt(4) : (long)(choices.NextDouble() * spreadNs));
            handles[i] = loop.CallAtNs(deadlines[i], ran.Add, i);
        }
        for (var i = 0; i < count; i += 7)
            handles[i].Cancel();
        Assert.True(handles[0].Cancelled);
        Assert.False(handles[1].Cancelled);
        loop.Stop();
        loop.RunForever();

        var expected = Enumerable.Range(0, count).Where(i => i % 7 != 0).OrderBy(i => deadlines[i]).ThenBy(i => i);
        Assert.Equal(expected, ran);
        Assert.False(handles[0].Cancelled);
        Assert.Contains("ready=0 timers=0", loop.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void OverdueTimers_EachSchedulingAnother_TheSecondBatchRunsInTheNextIterationInOrder()
    {
        // The second batch fills the overdue list (its chunks reused) while phase 5 still runs
        // the first from the due array; then it reuses that array.
        var loop = TestLoops.NewLoop();
        var choices = new SeededChoices(5);
        var ran = new List<(int Iteration, long WhenNs, int Order)>();
        var iteration = 0;
        var scheduled = 0;
        void Schedule(long whenNs)
        {
            var order = scheduled++;
            loop.CallAtNs(whenNs, _ =>
            {
                ran.Add((iteration, whenNs, order));
                if (order < 3_000)
                    Schedule(-1 - choices.NextInt(1_000_000));
            }, 0);
        }
        for (var i = 0; i < 3_000; i++)
            Schedule(-1 - choices.NextInt(1_000_000));
        loop.CallSoon(() => iteration = 1);
        loop.Stop();
        loop.RunForever();
        iteration = 2;
        loop.Stop();
        loop.RunForever();

        Assert.Equal(6_000, ran.Count);
        var first = ran.Take(3_000).ToList();
        var second = ran.Skip(3_000).ToList();
        Assert.All(first, run => Assert.Equal(1, run.Iteration));
        Assert.All(second, run => Assert.Equal(2, run.Iteration));
        Assert.Equal(first.OrderBy(run => run.WhenNs).ThenBy(run => run.Order), first);
        Assert.Equal(second.OrderBy(run => run.WhenNs).ThenBy(run => run.Order), second);
        Assert.Equal(Enumerable.Range(3_000, 3_000), second.Select(run => run.Order).Order());
    }

    [Fact]
    public void CallAt_DeadlinesSpreadOverCenturies_RunInDeadlineThenSequenceOrder()
    {
        // One deadline a century back stretches the key so far that a bucket's index no longer
        // fits beside it: that bucket falls back to a comparison sort, in the same order.
        var loop = TestLoops.NewLoop();
        var choices = new SeededChoices(3);
        var deadlines = new long[3_000];
        var ran = new List<int>();
        for (var i = 0; i < deadlines.Length; i++)
        {
            deadlines[i] = i == 1_500 ? long.MinValue / 2 : -1 - choices.NextInt(1_000);
            loop.CallAtNs(deadlines[i], ran.Add, i);
        }
        loop.Stop();
        loop.RunForever();

        Assert.Equal(Enumerable.Range(0, deadlines.Length).OrderBy(i => deadlines[i]).ThenBy(i => i), ran);
    }

    [Fact]
    public void OverdueAndHeapTimers_DueInTheSameIteration_RunMergedInDeadlineThenSequenceOrder()
    {
        // Overdue timers from before and after the heap timers, due together once time has moved
        // on (as on a real clock, here moved by hand from inside a callback). Deadlines on a
        // 10 µs grid, so that heap and overdue timers often tie.
        var simulation = TestLoops.NewSimulation();
        var loop = simulation.Loop;
        var choices = new SeededChoices(11);
        var deadlines = new List<long>();
        var handles = new List<TimerHandle>();
        var ran = new List<int>();
        void Schedule(long whenNs)
        {
            deadlines.Add(whenNs);
            handles.Add(loop.CallAtNs(whenNs, ran.Add, deadlines.Count - 1));
        }
        loop.CallSoon(() =>
        {
            for (var i = 0; i < 1_000; i++)
                Schedule(-choices.NextInt(3_000_000));
            for (var i = 0; i < 3_000; i++)
                Schedule(1 + (choices.NextInt(300) * 10_000L));
            simulation.Clock.Advance(5_000_000);
            for (var i = 0; i < 2_000; i++)
                Schedule(1 + (choices.NextInt(400) * 10_000L));
            for (var i = 0; i < handles.Count; i += 5)
                handles[i].Cancel();
        });
        loop.CallAtNs(10_000_000, _ => loop.Stop(), 0);
        loop.RunForever();

        var expected = Enumerable.Range(0, deadlines.Count).Where(i => i % 5 != 0).OrderBy(i => deadlines[i]).ThenBy(i => i);
        Assert.Equal(expected, ran);
    }

    [Fact]
    public void OverdueTimer_CancelledByAnEarlierTimerOfItsBatch_DoesNotRun()
    {
        var loop = TestLoops.NewLoop();
        var ran = new List<string>();
        TimerHandle later = default;
        loop.CallAtNs(-2, _ =>
        {
            ran.Add("first");
            later.Cancel();
            Assert.True(later.Cancelled);
        }, 0);
        later = loop.CallAtNs(-1, _ => ran.Add("second"), 0);
        loop.Stop();
        loop.RunForever();

        Assert.Equal(["first"], ran);
        Assert.False(later.Cancelled);
    }

    [Fact]
    public void OverdueTimer_CancelledAfterItRan_ChangesNothingAndReadsFalse()
    {
        var loop = TestLoops.NewLoop();
        var ran = new List<string>();
        TimerHandle first = default;
        first = loop.CallAtNs(-2, _ => ran.Add("first"), 0);
        loop.CallAtNs(-1, _ =>
        {
            first.Cancel();
            ran.Add($"second sees first cancelled={first.Cancelled}");
        }, 0);
        loop.Stop();
        loop.RunForever();

        Assert.Equal(["first", "second sees first cancelled=False"], ran);
    }

    [Fact]
    public void OverdueTimer_CancelledByAHeapTimerRunAfterIt_ChangesNothingAndReadsFalse()
    {
        var simulation = TestLoops.NewSimulation();
        var loop = simulation.Loop;
        var ran = new List<string>();
        TimerHandle overdue = default;
        loop.CallSoon(() =>
        {
            loop.CallAtNs(1_000_000, _ =>
            {
                overdue.Cancel();
                ran.Add($"heap sees overdue cancelled={overdue.Cancelled}");
            }, 0);
            simulation.Clock.Advance(2_000_000);
            overdue = loop.CallAtNs(500_000, _ => ran.Add("overdue"), 0);
            loop.CallSoon(loop.Stop);
        });
        loop.RunForever();

        Assert.Equal(["overdue", "heap sees overdue cancelled=False"], ran);
    }

    [Fact]
    public void OverdueTimer_CancellingItselfWhileRunning_ReadsCancelledUntilItReturns()
    {
        var loop = TestLoops.NewLoop();
        var seen = new List<bool>();
        TimerHandle self = default;
        self = loop.CallLater(0, () =>
        {
            self.Cancel();
            seen.Add(self.Cancelled);
        });
        loop.Stop();
        loop.RunForever();

        Assert.Equal([true], seen);
        Assert.False(self.Cancelled);
    }

    [Fact]
    public void OverdueTimer_ScheduledFromAnOverdueTimer_RunsInTheNextIteration()
    {
        var loop = TestLoops.NewLoop();
        var ran = new List<string>();
        TimerHandle inner = default;
        loop.CallLater(0, () =>
        {
            ran.Add("outer");
            inner = loop.CallLater(0, () => ran.Add("inner"));
            loop.CallSoon(() => ran.Add("soon"));
            loop.Stop();
        });
        loop.RunForever();
        Assert.Equal(["outer"], ran);
        Assert.Contains("ready=1 timers=1", loop.ToString(), StringComparison.Ordinal);

        loop.Stop();
        loop.RunForever();
        Assert.Equal(["outer", "soon", "inner"], ran);
        inner.Cancel();
        Assert.False(inner.Cancelled);
    }

    [Fact]
    public void OverdueTimer_Raises_ContextCarriesItsHandle()
    {
        var loop = TestLoops.NewLoop();
        var contexts = new List<ExceptionContext>();
        loop.SetExceptionHandler((_, context) => contexts.Add(context));
        loop.CallAtNs(-5, _ => { }, 0);
        var throwing = loop.CallAtNs(-1, _ => throw new FormatException("bad timer"), 0);
        loop.Stop();
        loop.RunForever();

        var context = Assert.Single(contexts);
        Assert.IsType<FormatException>(context.Exception);
        Assert.Equal(throwing, context.TimerHandle);
        Assert.Equal(-1, context.TimerHandle!.Value.WhenNs);
        Assert.Null(context.Handle);
    }

    [Fact]
    public void Close_WithOverdueTimersPending_MakesTheirHandlesInert()
    {
        var loop = TestLoops.NewLoop();
        var handle = loop.CallAtNs(-1, _ => { }, 0);
        handle.Cancel();
        Assert.True(handle.Cancelled);
        loop.Close();

        Assert.False(handle.Cancelled);
        handle.Cancel();
        Assert.False(handle.Cancelled);
    }

    [Fact]
    public void DueTimers_PhaseCutShortByAFailingLog_TheRestRunFirstInTheNextIteration()
    {
        var loop = TestLoops.NewLoop(log: new FailingWriter());
        var ran = new List<string>();
        loop.CallAtNs(-3, _ => throw new FormatException("bad timer"), 0);
        loop.CallAtNs(-2, _ => ran.Add("second"), 0);
        loop.CallAtNs(-1, _ =>
        {
            ran.Add("third");
            loop.Stop();
        }, 0);

        var error = Assert.Throws<IOException>(loop.RunForever);
        Assert.Equal("log unavailable", error.Message);
        Assert.Empty(ran);
        Assert.Contains("ready=2 timers=0", loop.ToString(), StringComparison.Ordinal);

        loop.RunForever();
        Assert.Equal(["second", "third"], ran);
    }

    private sealed class FailingWriter : StringWriter
    {
        public override void WriteLine(string? value) => throw new IOException("log unavailable");
    }
}

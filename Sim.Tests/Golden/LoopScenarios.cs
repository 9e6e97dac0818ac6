using Sim.Core;

namespace Sim.Tests.Golden;

/// <summary>C# twins of the loop scheduling scenarios: the ready queue, timers and Stop
/// (Scenarios/loop_01 to loop_08, loop_15, loop_16, loop_20).</summary>
internal static class LoopScenarios
{
    [Golden("loop_01_call_soon_fifo")]
    public static void CallSoonFifo(GoldenContext g)
    {
        var loop = g.Loop;
        void Cb(string name)
        {
            g.Print("run", name);
            if (name == "a")
                loop.CallSoon(Cb, "d");
        }
        foreach (var name in new[] { "a", "b", "c" })
            loop.CallSoon(Cb, name);
        loop.CallSoon(() =>
        {
            g.Print("stop requested");
            loop.Stop();
        });
        loop.RunForever();
        g.Print("after first run_forever");
        loop.CallSoon(loop.Stop);
        loop.RunForever();
        g.Print("after second run_forever");
        loop.Close();
    }

    [Golden("loop_02_call_soon_next_iteration")]
    public static void CallSoonNextIteration(GoldenContext g)
    {
        var loop = g.Loop;
        void Cb(string name)
        {
            g.Print("start", name);
            if (name == "a")
            {
                loop.CallSoon(Cb, "a-child");
                g.Print("a scheduled a-child");
            }
            g.Print("end", name);
        }
        loop.CallSoon(Cb, "a");
        loop.CallSoon(Cb, "b");
        loop.CallSoon(() =>
        {
            g.Print("stop");
            loop.Stop();
        });
        loop.CallSoon(Cb, "c");
        loop.RunForever();
        g.Print("first run over");
        loop.CallSoon(() =>
        {
            g.Print("stop again");
            loop.Stop();
        });
        loop.RunForever();
        g.Print("second run over");
        loop.Close();
    }

    [Golden("loop_03_timers_by_deadline")]
    public static void TimersByDeadline(GoldenContext g)
    {
        var loop = g.Loop;
        var order = new List<string>();
        void Fire(string name)
        {
            g.Print("timer", name);
            order.Add(name);
            if (order.Count == 4)
                loop.Stop();
        }
        loop.CallLater(0.04, Fire, "40ms");
        loop.CallLater(0.01, Fire, "10ms");
        loop.CallLater(0.03, Fire, "30ms");
        loop.CallLater(0.02, Fire, "20ms");
        loop.RunForever();
        g.Print("order", order);
        loop.Close();
    }

    [Golden("loop_04_timers_equal_deadline")]
    public static void TimersEqualDeadline(GoldenContext g)
    {
        var loop = g.Loop;
        var when = loop.Time() + 0.02;
        var fired = new List<string>();
        void Fire(string name)
        {
            g.Print(name, "at t+20ms");
            fired.Add(name);
            if (fired.Count == 3)
                loop.Stop();
        }
        loop.CallAt(when, Fire, "first");
        loop.CallAt(when, Fire, "second");
        loop.CallAt(when, Fire, "third");
        loop.RunForever();
        g.Print("fired", fired);
        loop.Close();
    }

    [Golden("loop_05_call_later_zero_vs_call_soon")]
    public static void CallLaterZeroVersusCallSoon(GoldenContext g)
    {
        var loop = g.Loop;
        void Soon(string name)
        {
            g.Print("soon", name);
            if (name == "s1")
            {
                loop.CallSoon(Soon, "s3 (from s1)");
                loop.CallLater(0, Timer, "t2 (from s1)");
            }
        }
        void Timer(string name) => g.Print("timer", name);
        loop.CallLater(0, () => Timer("t1"));
        loop.CallSoon(Soon, "s1");
        loop.CallSoon(Soon, "s2");
        loop.CallLater(0.01, loop.Stop);
        loop.RunForever();
        g.Print("done");
        loop.Close();
    }

    [Golden("loop_06_cancelled_timers")]
    public static void CancelledTimers(GoldenContext g)
    {
        var loop = g.Loop;
        var t0 = loop.Time();
        TimerHandle? victim = null;
        void Arm()
        {
            g.Print("h3 runs: schedules a due timer, then the callback that cancels it");
            victim = loop.CallLater(0, () => g.Print("victim must not run"));
            loop.CallSoon(Canceller);
        }
        void Canceller()
        {
            g.Print("canceller runs first in the batch; the victim is ready behind it");
            victim!.Value.Cancel();
            g.Print("victim cancelled:", victim.Value.Cancelled);
            loop.Stop();
        }
        var h1 = loop.CallAt(t0 + 0.01, () => g.Print("h1 runs"));
        var h2 = loop.CallAt(t0 + 0.02, () => g.Print("h2 must not run"));
        var h3 = loop.CallAt(t0 + 0.03, Arm);
        g.Print("when h1:", Math.Round(h1.When - t0, 6), "when h3:", Math.Round(h3.When - t0, 6));
        h2.Cancel();
        g.Print("h2 cancelled:", h2.Cancelled, "h1 cancelled:", h1.Cancelled);
        h2.Cancel();
        g.Print("h2 cancelled after second cancel:", h2.Cancelled);
        loop.RunForever();
        g.Print("h1 cancelled:", h1.Cancelled);
        loop.Close();
    }

    [Golden("loop_07_stop_before_run_forever")]
    public static void StopBeforeRunForever(GoldenContext g)
    {
        var loop = g.Loop;
        void Cb(string name)
        {
            g.Print("run", name);
            loop.CallSoon(() => g.Print("child of " + name));
        }
        loop.CallLater(0.01, () => g.Print("timer at t+10ms"));
        loop.CallSoon(Cb, "a");
        loop.CallSoon(Cb, "b");
        loop.Stop();
        loop.RunForever();
        g.Print("after first run_forever, running:", loop.IsRunning);
        loop.Stop();
        loop.RunForever();
        g.Print("after second run_forever");
        loop.Stop();
        loop.RunForever();
        g.Print("after an empty iteration");
        loop.RunUntilComplete(Asyncio.Sleep(0.02));
        g.Print("after sleeping past the timer");
        loop.Close();
    }

    [Golden("loop_08_stop_finishes_batch")]
    public static void StopFinishesBatch(GoldenContext g)
    {
        var loop = g.Loop;
        void Stopper()
        {
            g.Print("stopper calls stop, running:", loop.IsRunning);
            loop.Stop();
            loop.CallSoon(() => g.Print("scheduled by stopper"));
        }
        void Later(string name)
        {
            g.Print("ready before stop:", name);
            loop.CallSoon(() => g.Print("scheduled by " + name));
        }
        loop.CallSoon(() => g.Print("first"));
        loop.CallSoon(Stopper);
        loop.CallSoon(Later, "x");
        loop.CallSoon(Later, "y");
        loop.RunForever();
        g.Print("stopped, running:", loop.IsRunning);
        loop.CallSoon(loop.Stop);
        loop.RunForever();
        g.Print("second run over");
        loop.Close();
    }

    [Golden("loop_15_handle_cancel")]
    public static void HandleCancel(GoldenContext g)
    {
        var loop = g.Loop;
        var h1 = loop.CallSoon(() => g.Print("h1 runs"));
        var h2 = loop.CallSoon(() => g.Print("h2 must not run"));
        loop.CallSoon(() => g.Print("h3 runs"));
        h2.Cancel();
        g.Print("h1 cancelled:", h1.Cancelled, "h2 cancelled:", h2.Cancelled);
        Handle h5 = default;
        loop.CallSoon(() =>
        {
            g.Print("cancelling the next callback in this batch");
            h5.Cancel();
            g.Print("h5 cancelled:", h5.Cancelled);
        });
        h5 = loop.CallSoon(() => g.Print("h5 must not run"));
        loop.CallSoon(() => g.Print("h6 runs"));
        loop.CallSoon(loop.Stop);
        loop.RunForever();
        g.Print("done");
        loop.Close();
    }

    [Golden("loop_16_timer_from_callback")]
    public static void TimerFromCallback(GoldenContext g)
    {
        var loop = g.Loop;
        var t0 = loop.Time();
        void First()
        {
            g.Print("first (t+10ms) schedules a +5ms timer and a past call_at");
            loop.CallLater(0.005, () => g.Print("nested timer (t+15ms)"));
            loop.CallAt(t0, () => g.Print("call_at in the past"));
            loop.CallSoon(() => g.Print("call_soon from first"));
        }
        loop.CallAt(t0 + 0.01, First);
        loop.CallAt(t0 + 0.02, () => g.Print("second (t+20ms)"));
        loop.CallAt(t0 + 0.03, loop.Stop);
        loop.RunForever();
        g.Print("done");
        loop.Close();
    }

    [Golden("loop_20_call_soon_threadsafe_on_loop_thread")]
    public static void CallSoonThreadsafeOnLoopThread(GoldenContext g)
    {
        var loop = g.Loop;
        void Schedule()
        {
            g.Print("scheduling from a callback");
            loop.CallSoon(() => g.Print("A call_soon"));
            loop.CallSoonThreadsafe(() => g.Print("B call_soon_threadsafe"));
            loop.CallSoon(() => g.Print("C call_soon"));
            var h = loop.CallSoonThreadsafe(() => g.Print("D cancelled threadsafe"));
            loop.CallSoonThreadsafe(() => g.Print("E call_soon_threadsafe"));
            h.Cancel();
            loop.CallSoon(loop.Stop);
        }
        loop.CallSoon(Schedule);
        loop.RunForever();
        g.Print("done");
        loop.Close();
    }
}

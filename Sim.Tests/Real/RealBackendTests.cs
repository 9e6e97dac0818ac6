using System.Diagnostics;
using System.Globalization;
using System.Runtime.ExceptionServices;
using Sim.Core;
using Sim.Real;

namespace Sim.Tests.Real;

/// <summary>
/// The production loop on real threads and real time, with each backend: a loop blocked in its
/// poll wakes for a callback sent from another thread, sleeps without burning CPU when idle,
/// runs every callback sent concurrently exactly once, and returns executor results computed on
/// other threads. Bounds are generous (seconds, not milliseconds): these tests check that
/// things happen, not how fast.
/// </summary>
[Trait("Category", "Concurrency")]
public sealed class RealBackendTests
{
    // Every test finishes within this much wall time or fails; the loop runs on a background
    // thread so that a hung loop fails the test instead of hanging the run.
    private static readonly TimeSpan s_testTimeMax = TimeSpan.FromSeconds(20);

    public static TheoryData<RealBackendKind> Backends() => [RealBackendKind.Epoll, RealBackendKind.Portable];

    [Theory]
    [MemberData(nameof(Backends))]
    public void CallSoonThreadsafe_LoopBlockedInPollWithNoTimers_WakesAndRunsTheCallback(RealBackendKind kind)
    {
        if (!TryCreate(kind, out var loop))
            return;
        var ranOnLoopThread = false;
        var loopThread = 0;
        var stopwatch = new Stopwatch();
        RunOnLoopThread(loop, () =>
        {
            loopThread = Environment.CurrentManagedThreadId;
            loop.RunForever();
        }, whileRunning: () =>
        {
            // Give the loop time to block in Poll with an infinite timeout: nothing else can wake it.
            Thread.Sleep(100);
            stopwatch.Start();
            loop.CallSoonThreadsafe(() =>
            {
                ranOnLoopThread = Environment.CurrentManagedThreadId == loopThread;
                loop.Stop();
            });
        });
        stopwatch.Stop();

        Assert.True(ranOnLoopThread);
        Assert.True(stopwatch.Elapsed < TimeSpan.FromSeconds(5), $"the wake-up took {stopwatch.Elapsed}");
        loop.Close();
    }

    [Theory]
    [MemberData(nameof(Backends))]
    public void RunForever_NothingToDo_UsesNoCpu(RealBackendKind kind)
    {
        if (!TryCreate(kind, out var loop))
            return;
        var cpu = TimeSpan.Zero;
        ThreadCpuClock? clock = null;
        RunOnLoopThread(loop, () =>
        {
            clock = ThreadCpuClock.ForCurrentThread();
            loop.RunForever();
        }, whileRunning: () =>
        {
            Thread.Sleep(50);
            var before = clock!.Read();
            Thread.Sleep(300);
            cpu = clock.Read() - before;
            loop.CallSoonThreadsafe(loop.Stop);
        });

        // A loop that spun instead of blocking would burn most of the 300 ms.
        Assert.True(cpu < TimeSpan.FromMilliseconds(50), $"the idle loop used {cpu.TotalMilliseconds} ms of CPU in 300 ms ({clock})");
        loop.Close();
    }

    [Theory]
    [MemberData(nameof(Backends))]
    public void CallSoonThreadsafe_ManyThreadsAtOnce_EveryCallbackRunsExactlyOnceInEachSendersOrder(RealBackendKind kind)
    {
        if (!TryCreate(kind, out var loop))
            return;
        // Rounds of concurrent bursts; after each, the loop must run every callback of the round
        // without any further help, so a wake-up lost in a race shows up as a round that stalls
        // (before the epoll fix in af181b4 this failed on every run).
        const int rounds = 40;
        const int senders = 4;
        const int callbacksPerSender = 250;
        var runs = new int[rounds, senders, callbacksPerSender];
        var lastSeen = new int[senders];
        var outOfOrder = 0;
        var ran = 0;
        RunOnLoopThread(loop, loop.RunForever, whileRunning: () =>
        {
            try
            {
                for (var round = 0; round < rounds; round++)
                {
                    Array.Fill(lastSeen, -1);
                    SendBurst(round);
                    var stopwatch = Stopwatch.StartNew();
                    while (Volatile.Read(ref ran) < (round + 1) * senders * callbacksPerSender && stopwatch.Elapsed < TimeSpan.FromSeconds(5))
                        Thread.Sleep(1);
                    Assert.True(
                        Volatile.Read(ref ran) == (round + 1) * senders * callbacksPerSender,
                        $"round {round}: only {Volatile.Read(ref ran) - round * senders * callbacksPerSender} of {senders * callbacksPerSender} callbacks ran within 5 s (a lost wake-up?)");
                }
            }
            finally
            {
                loop.CallSoonThreadsafe(loop.Stop);
            }
        });

        Assert.All(runs.Cast<int>(), count => Assert.Equal(1, count));
        Assert.Equal(0, outOfOrder);
        loop.Close();

        void SendBurst(int round)
        {
            using var start = new Barrier(senders);
            var threads = Enumerable.Range(0, senders).Select(sender => new Thread(() =>
            {
                start.SignalAndWait();
                for (var i = 0; i < callbacksPerSender; i++)
                {
                    var n = i;
                    loop.CallSoonThreadsafe(() =>
                    {
                        // On the loop thread: only the counter is read from elsewhere.
                        runs[round, sender, n]++;
                        if (n != lastSeen[sender] + 1)
                            outOfOrder++;
                        lastSeen[sender] = n;
                        Interlocked.Increment(ref ran);
                    });
                    // Uneven gaps between sends: the loop drains its wake-up between them, so
                    // sends keep racing with drains (how a lost wake-up was found in the epoll backend).
                    Thread.SpinWait(20 * (sender + 1));
                }
            }) { IsBackground = true }).ToList();
            threads.ForEach(thread => thread.Start());
            foreach (var thread in threads)
                Assert.True(thread.Join(s_testTimeMax));
        }
    }

    [Theory]
    [MemberData(nameof(Backends))]
    public void RunInExecutor_RealLoop_ReturnsTheResultComputedOnAnotherThread(RealBackendKind kind)
    {
        if (!TryCreate(kind, out var loop))
            return;
        var outcome = (LoopThread: 0, WorkerThread: 0, Result: 0, Error: "");
        async Coroutine Main()
        {
            var (worker, result) = await loop.RunInExecutor(() => (Environment.CurrentManagedThreadId, 6 * 7));
            string error;
            try
            {
                await loop.RunInExecutor(new Func<int>(() => throw new InvalidDataException("job failed")));
                error = "no error";
            }
            catch (InvalidDataException exception)
            {
                error = exception.Message;
            }
            outcome = (Environment.CurrentManagedThreadId, worker, result, error);
        }
        RunOnLoopThread(loop, () => loop.RunUntilComplete(Main()));

        Assert.Equal(42, outcome.Result);
        Assert.NotEqual(outcome.LoopThread, outcome.WorkerThread);
        Assert.Equal("job failed", outcome.Error);
        loop.Close();
    }

    [Theory]
    [MemberData(nameof(Backends))]
    public void CallLater_RealClock_RunsInDeadlineOrderNeverBeforeTheDeadline(RealBackendKind kind)
    {
        if (!TryCreate(kind, out var loop))
            return;
        var deadlines = new List<long>();
        var runs = new List<(int Timer, long RanAtNs)>();
        RunOnLoopThread(loop, () =>
        {
            var delays = new[] { 0.03, 0.0, 0.01, 0.02, 0.01 };
            for (var i = 0; i < delays.Length; i++)
            {
                var timer = i;
                deadlines.Add(loop.CallLater(delays[i], () => runs.Add((timer, loop.TimeNs()))).WhenNs);
            }
            loop.CallLater(0.05, loop.Stop);
            loop.RunForever();
        });

        Assert.Equal(Enumerable.Range(0, 5).OrderBy(i => deadlines[i]).ThenBy(i => i), runs.Select(run => run.Timer));
        Assert.All(runs, run => Assert.True(run.RanAtNs >= deadlines[run.Timer], $"timer {run.Timer} ran {deadlines[run.Timer] - run.RanAtNs} ns early"));
        loop.Close();
    }

    [Fact]
    public void Create_Auto_PicksEpollOnLinux()
    {
        var loop = RealLoop.Create();
        Assert.IsType(OperatingSystem.IsLinux() ? typeof(Sim.Real.Linux.EpollBackend) : typeof(Sim.Real.Portable.SocketBackend), loop.Backend);
        loop.Close();
    }

    [Fact]
    public void Run_OneLiner_RunsTheCoroutineOnRealTimeAndClosesTheLoop()
    {
        EventLoop? seen = null;
        async Coroutine<double> Main()
        {
            seen = Asyncio.GetRunningLoop();
            var start = seen.Time();
            await Asyncio.Sleep(0.02);
            return seen.Time() - start;
        }
        double elapsed = 0;
        RunBounded(() => elapsed = RealLoop.Run(Main));
        Assert.True(elapsed >= 0.02, $"a 20 ms sleep ended after {elapsed} s");
        Assert.NotNull(seen);
        Assert.True(seen.IsClosed);
    }

    [Fact]
    public void Run_TaskLeftPending_IsCancelledAndFinishesBeforeTheLoopCloses()
    {
        var log = new List<string>();
        async Coroutine Forever()
        {
            try
            {
                await Asyncio.Sleep(3600);
            }
            catch (CancelledError)
            {
                log.Add("left-over task cancelled");
                throw;
            }
        }
        async Coroutine Main()
        {
            _ = Asyncio.GetRunningLoop().CreateTask(Forever());
            await Asyncio.Sleep(0);
            log.Add("main done");
        }
        RunBounded(() => RealLoop.Run(Main, RealBackendKind.Portable));
        Assert.Equal(["main done", "left-over task cancelled"], log);
    }

    [Fact]
    public void Run_FromARunningLoop_Raises()
    {
        async Coroutine<string> Main()
        {
            var error = Assert.Throws<InvalidOperationException>(() => RealLoop.Run(() => Asyncio.Sleep(0, "inner")));
            await Asyncio.Sleep(0);
            return error.Message;
        }
        string message = "";
        RunBounded(() => message = RealLoop.Run(Main));
        Assert.Contains("cannot be called from a running event loop", message, StringComparison.Ordinal);
    }

    [Fact]
    public void Create_NotABackendKind_RaisesNamingIt()
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => RealLoop.Create((RealBackendKind)7));
        Assert.Equal("backend", error.ParamName);
    }

    [Fact]
    public void Create_BadOption_RaisesAndClosesTheBackendItMade()
    {
        if (!OperatingSystem.IsLinux())
            return;
        // Each epoll backend holds an epoll and an eventfd descriptor: 50 leaked would show.
        var before = Directory.GetFiles("/proc/self/fd").Length;
        for (var i = 0; i < 50; i++)
        {
            var error = Assert.Throws<ArgumentOutOfRangeException>(() =>
                RealLoop.Create(RealBackendKind.Epoll, new EventLoopOptions { SlowCallbackDuration = -1 }));
            Assert.Contains("SlowCallbackDuration", error.Message, StringComparison.Ordinal);
        }
        Assert.InRange(Directory.GetFiles("/proc/self/fd").Length, 0, before + 20);
    }

    private sealed class AlwaysOn : IFaultInjector
    {
        public bool Buggify(string site, double probability) => true;
    }

    [Fact]
    public void Create_WithFaults_TheLoopAsksTheInjector()
    {
        var loop = RealLoop.Create(RealBackendKind.Portable, new EventLoopOptions { Faults = new AlwaysOn() });
        try
        {
            Assert.True(loop.RunUntilComplete(AskBuggify()));
        }
        finally
        {
            loop.Close();
        }

        static async Coroutine<bool> AskBuggify()
        {
            await Asyncio.Sleep(0);
            return Buggify.On(probability: 1);
        }
    }

    /// <summary>Creates a loop on <paramref name="kind"/>; false (after checking the refusal) where
    /// the platform lacks that backend.</summary>
    private static bool TryCreate(RealBackendKind kind, out EventLoop loop)
    {
        if (kind == RealBackendKind.Epoll && !OperatingSystem.IsLinux())
        {
            Assert.Throws<PlatformNotSupportedException>(() => RealLoop.Create(kind));
            loop = null!;
            return false;
        }
        loop = RealLoop.Create(kind);
        return true;
    }

    /// <summary>
    /// Runs <paramref name="run"/> (which runs the loop) on a background thread and, once the loop
    /// is running, <paramref name="whileRunning"/> on the calling thread; fails if either throws or
    /// the loop has not finished within <see cref="s_testTimeMax"/>.
    /// </summary>
    private static void RunOnLoopThread(EventLoop loop, Action run, Action? whileRunning = null)
    {
        ExceptionDispatchInfo? error = null;
        var thread = new Thread(() =>
        {
            try
            {
                run();
            }
            catch (Exception exception)
            {
                error = ExceptionDispatchInfo.Capture(exception);
            }
        }) { IsBackground = true, Name = "SimLoop test loop" };
        thread.Start();
        if (whileRunning is not null)
        {
            var stopwatch = Stopwatch.StartNew();
            while (!loop.IsRunning && thread.IsAlive && stopwatch.Elapsed < s_testTimeMax)
                Thread.Sleep(1);
            whileRunning();
        }
        Assert.True(thread.Join(s_testTimeMax), $"the loop was still running after {s_testTimeMax}");
        error?.Throw();
    }

    private static void RunBounded(Action action)
    {
        ExceptionDispatchInfo? error = null;
        var thread = new Thread(() =>
        {
            try
            {
                action();
            }
            catch (Exception exception)
            {
                error = ExceptionDispatchInfo.Capture(exception);
            }
        }) { IsBackground = true };
        thread.Start();
        Assert.True(thread.Join(s_testTimeMax), $"still running after {s_testTimeMax}");
        error?.Throw();
    }

    /// <summary>
    /// The CPU time of one thread: on Linux from /proc (user + system ticks of that thread
    /// alone, so tests running in parallel do not count); elsewhere the whole process's, a
    /// looser measure.
    /// </summary>
    private sealed class ThreadCpuClock
    {
        // USER_HZ, the unit of /proc's utime and stime: 100 on every mainstream Linux architecture.
        private const double TicksPerSecond = 100;

        private readonly string? _statPath;

        private ThreadCpuClock(string? statPath) => _statPath = statPath;

        public static ThreadCpuClock ForCurrentThread()
        {
            // /proc/thread-self links to /proc/<pid>/task/<tid> of the thread that resolves it.
            var target = OperatingSystem.IsLinux() ? new FileInfo("/proc/thread-self").LinkTarget : null;
            return new ThreadCpuClock(target is null ? null : Path.Combine("/proc", target, "stat"));
        }

        public TimeSpan Read()
        {
            if (_statPath is null)
                return Process.GetCurrentProcess().TotalProcessorTime;
            var stat = File.ReadAllText(_statPath);
            // Fields after the command name, which is in parentheses and may contain spaces:
            // state ppid pgrp session tty_nr tpgid flags minflt cminflt majflt cmajflt utime stime.
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            var ticks = long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
            return TimeSpan.FromSeconds(ticks / TicksPerSecond);
        }

        public override string ToString() => _statPath ?? "process CPU time";
    }
}

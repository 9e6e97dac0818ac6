using Sim.Core;

namespace Sim.Tests.Conformance;

/// <summary>
/// <see cref="EventLoop.AddSignalHandler"/> and <see cref="EventLoop.RemoveSignalHandler"/>,
/// written once against Sim.Core's public API, as CPython's unix event loop behaves (checked with
/// python3 3.11: a handler runs as a ready callback on the loop, never inside the raise; a second
/// add replaces it; removal returns True once; "invalid signal number N"; "sig 9 cannot be
/// caught"; a closed loop refuses additions and has removed its handlers). A subclass per backend
/// supplies a loop and a way to send this process a signal: the simulation's SendSignal, or a
/// real kill(2) of the test process (those suites run alone: signals are process-wide).
/// </summary>
[Trait("Category", "Conformance")]
public abstract class SignalConformance
{
    /// <summary>A fresh loop on the backend under test.</summary>
    protected abstract EventLoop CreateLoop();

    /// <summary>Sends <paramref name="signum"/> to the process the loop runs in.</summary>
    protected abstract void Raise(int signum);

    private const double TimeLimit = 10;

    private void Run(Func<EventLoop, Coroutine> body)
    {
        var loop = CreateLoop();
        try
        {
            var guard = loop.CallLater(TimeLimit * 3, loop.Stop);
            loop.RunUntilComplete(body(loop));
            guard.Cancel();
        }
        finally
        {
            loop.Close();
        }
    }

    /// <summary>Runs <paramref name="check"/> on a fresh loop that is not running, then closes it.</summary>
    protected void WithIdleLoop(Action<EventLoop> check)
    {
        var loop = CreateLoop();
        try
        {
            check(loop);
        }
        finally
        {
            loop.Close();
        }
    }

    [Fact]
    public void Handler_RunsOnTheLoopThread_NeverInsideTheRaise()
    {
        Run(async loop =>
        {
            var loopThread = Environment.CurrentManagedThreadId;
            var ran = new LoopEvent();
            var handlerThread = 0;
            loop.AddSignalHandler(Signals.SIGWINCH, () =>
            {
                handlerThread = Environment.CurrentManagedThreadId;
                ran.Set();
            });
            Raise(Signals.SIGWINCH);
            Assert.False(ran.IsSet);
            await Asyncio.WaitFor(ran.Wait(), TimeLimit);
            Assert.Equal(loopThread, handlerThread);
            Assert.True(loop.RemoveSignalHandler(Signals.SIGWINCH));
        });
    }

    [Fact]
    public void SecondAdd_ReplacesTheHandler()
    {
        Run(async loop =>
        {
            var log = new List<string>();
            var ran = new LoopEvent();
            loop.AddSignalHandler(Signals.SIGWINCH, () => log.Add("first"));
            loop.AddSignalHandler(Signals.SIGWINCH, () =>
            {
                log.Add("second");
                ran.Set();
            });
            Raise(Signals.SIGWINCH);
            await Asyncio.WaitFor(ran.Wait(), TimeLimit);
            Assert.DoesNotContain("first", log);
            loop.RemoveSignalHandler(Signals.SIGWINCH);
        });
    }

    [Fact]
    public void TwoSignals_EachRunItsOwnHandler()
    {
        Run(async loop =>
        {
            var winch = new LoopEvent();
            var cont = new LoopEvent();
            loop.AddSignalHandler(Signals.SIGWINCH, winch.Set);
            loop.AddSignalHandler(Signals.SIGCONT, cont.Set);
            Raise(Signals.SIGCONT);
            await Asyncio.WaitFor(cont.Wait(), TimeLimit);
            Raise(Signals.SIGWINCH);
            await Asyncio.WaitFor(winch.Wait(), TimeLimit);
            loop.RemoveSignalHandler(Signals.SIGWINCH);
            loop.RemoveSignalHandler(Signals.SIGCONT);
        });
    }

    [Fact]
    public void Remove_ReturnsTrueOnce_AndTheHandlerNoLongerRuns()
    {
        Run(async loop =>
        {
            var calls = 0;
            var ran = new LoopEvent();
            loop.AddSignalHandler(Signals.SIGWINCH, () =>
            {
                calls++;
                ran.Set();
            });
            Raise(Signals.SIGWINCH);
            await Asyncio.WaitFor(ran.Wait(), TimeLimit);
            var before = calls;
            Assert.True(loop.RemoveSignalHandler(Signals.SIGWINCH));
            Assert.False(loop.RemoveSignalHandler(Signals.SIGWINCH));
            Assert.False(loop.RemoveSignalHandler(Signals.SIGCONT));
            // SIGWINCH is ignored by default: sent again, nothing runs and the process goes on.
            Raise(Signals.SIGWINCH);
            for (var i = 0; i < 5; i++)
                await Asyncio.Sleep(0.01);
            Assert.Equal(before, calls);
        });
    }

    [Fact]
    public void AFailingHandler_GoesToTheExceptionHandler_AndTheLoopGoesOn()
    {
        Run(async loop =>
        {
            var reported = new LoopEvent();
            ExceptionContext? context = null;
            loop.SetExceptionHandler((_, c) =>
            {
                context = c;
                reported.Set();
            });
            loop.AddSignalHandler(Signals.SIGWINCH, () => throw new InvalidDataException("boom"));
            Raise(Signals.SIGWINCH);
            await Asyncio.WaitFor(reported.Wait(), TimeLimit);
            Assert.IsType<InvalidDataException>(context!.Exception);
            Assert.StartsWith("Exception in callback", context.Message, StringComparison.Ordinal);
            loop.SetExceptionHandler(null);
            loop.RemoveSignalHandler(Signals.SIGWINCH);
        });
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    [InlineData(65)]
    [InlineData(32)]
    [InlineData(33)]
    public void NotASignalNumber_IsRefused(int signum) => WithIdleLoop(loop =>
    {
        var added = Assert.Throws<ArgumentOutOfRangeException>(() => loop.AddSignalHandler(signum, () => { }));
        Assert.Contains($"invalid signal number {signum}", added.Message, StringComparison.Ordinal);
        var removed = Assert.Throws<ArgumentOutOfRangeException>(() => loop.RemoveSignalHandler(signum));
        Assert.Contains($"invalid signal number {signum}", removed.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentNullException>(() => loop.AddSignalHandler(Signals.SIGWINCH, null!));
    });

    [Theory]
    [InlineData(Signals.SIGKILL)]
    [InlineData(Signals.SIGSTOP)]
    public void KillAndStop_CannotBeCaught(int signum) => WithIdleLoop(loop =>
    {
        var error = Assert.Throws<InvalidOperationException>(() => loop.AddSignalHandler(signum, () => { }));
        Assert.Equal($"sig {signum} cannot be caught", error.Message);
        Assert.False(loop.RemoveSignalHandler(signum));
    });

    [Fact]
    public void ClosingTheLoop_RemovesItsHandlers_AndAClosedLoopTakesNoNewOne()
    {
        var loop = CreateLoop();
        loop.AddSignalHandler(Signals.SIGWINCH, () => { });
        loop.Close();
        Assert.False(loop.RemoveSignalHandler(Signals.SIGWINCH));
        var error = Assert.Throws<InvalidOperationException>(() => loop.AddSignalHandler(Signals.SIGWINCH, () => { }));
        Assert.Equal("Event loop is closed", error.Message);
    }
}

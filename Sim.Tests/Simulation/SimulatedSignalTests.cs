using Sim.Core;
using Sim.Net;

namespace Sim.Tests.Simulations;

/// <summary>
/// Signals in the simulation: <see cref="Simulation.SendSignal(int, TimeSpan)"/> plays
/// another process's kill(2) at a virtual time, the loop hears of it at its next poll, and a
/// signal without a handler gets its default action (ignored, or the end of the process).
/// </summary>
[Trait("Category", "Unit")]
public sealed class SimulatedSignalTests
{
    private static Simulation NewSimulation(long seed = 3) =>
        new(seed, new SimulationOptions { Log = TextWriter.Null });

    [Fact]
    public void HandlersRun_WhereCPythonRunsThem()
    {
        // CPython 3.11, os.kill(os.getpid(), SIGWINCH) twice then four sleep(0)s:
        // ['after kill', 'soon', 'tick0', 'tick1', 'winch', 'winch', 'tick2', 'tick3']
        var simulation = NewSimulation();
        var loop = simulation.Loop;
        var log = new List<string>();
        async Coroutine Main()
        {
            loop.AddSignalHandler(Signals.SIGWINCH, () => log.Add("winch"));
            loop.CallSoon(() => log.Add("soon"));
            simulation.SendSignal(Signals.SIGWINCH);
            simulation.SendSignal(Signals.SIGWINCH);
            log.Add("after kill");
            for (var i = 0; i < 4; i++)
            {
                await Asyncio.Sleep(0);
                log.Add($"tick{i}");
            }
        }
        simulation.RunUntilComplete(Main());
        Assert.Equal(["after kill", "soon", "tick0", "tick1", "winch", "winch", "tick2", "tick3"], log);
    }

    [Fact]
    public void ADelayedSignal_ArrivesAtItsVirtualTime_AndTimeDoesNotJumpPastIt()
    {
        var simulation = NewSimulation();
        var loop = simulation.Loop;
        async Coroutine<double> Main()
        {
            var stop = new LoopEvent();
            var at = -1.0;
            loop.AddSignalHandler(Signals.SIGTERM, () =>
            {
                at = loop.Time();
                stop.Set();
            });
            var start = loop.Time();
            simulation.SendSignal(Signals.SIGTERM, TimeSpan.FromSeconds(5));
            // Nothing else is scheduled: without the signal this wait would be a deadlock.
            await stop.Wait();
            return at - start;
        }
        Assert.Equal(5.0, simulation.RunUntilComplete(Main()), precision: 9);
    }

    [Fact]
    public void SignalsOfTheSameTime_ArriveInSendingOrder()
    {
        var simulation = NewSimulation();
        var loop = simulation.Loop;
        var log = new List<string>();
        async Coroutine Main()
        {
            loop.AddSignalHandler(Signals.SIGHUP, () => log.Add("hup"));
            loop.AddSignalHandler(Signals.SIGUSR1, () => log.Add("usr1"));
            simulation.SendSignal(Signals.SIGUSR1, TimeSpan.FromSeconds(2));
            simulation.SendSignal(Signals.SIGHUP, TimeSpan.FromSeconds(1));
            simulation.SendSignal(Signals.SIGHUP, TimeSpan.FromSeconds(2));
            await Asyncio.Sleep(3);
        }
        simulation.RunUntilComplete(Main());
        Assert.Equal(["hup", "usr1", "hup"], log);
    }

    [Fact]
    public void AnUnhandledSignalThatTerminates_EndsTheRun()
    {
        var simulation = NewSimulation();
        async Coroutine Main()
        {
            simulation.SendSignal(Signals.SIGTERM, TimeSpan.FromSeconds(1));
            await Asyncio.Sleep(10);
        }
        var error = Assert.Throws<ProcessTerminatedException>(() => simulation.RunUntilComplete(Main()));
        Assert.Equal(Signals.SIGTERM, error.Signum);
        Assert.Contains("SIGTERM", error.Message, StringComparison.Ordinal);
        Assert.Equal(1.0, simulation.Loop.Time(), precision: 9);
        Assert.Contains(simulation.Trace.Events, e => e.Kind == "signal.terminate");
    }

    [Fact]
    public void AnUnhandledSignalIgnoredByDefault_IsIgnored_AndARemovedHandlerRestoresTheDefault()
    {
        var simulation = NewSimulation();
        var loop = simulation.Loop;
        async Coroutine Main()
        {
            simulation.SendSignal(Signals.SIGWINCH);
            await Asyncio.Sleep(1);
            loop.AddSignalHandler(Signals.SIGTERM, () => { });
            Assert.True(loop.RemoveSignalHandler(Signals.SIGTERM));
            simulation.SendSignal(Signals.SIGTERM);
            await Asyncio.Sleep(1);
        }
        Assert.Throws<ProcessTerminatedException>(() => simulation.RunUntilComplete(Main()));
        Assert.Contains(simulation.Trace.Events, e => e.Kind == "signal.ignore" && e.Details.Contains("SIGWINCH", StringComparison.Ordinal));
    }

    [Fact]
    public void SendSignal_BadInput_IsRefused()
    {
        var simulation = NewSimulation();
        Assert.Contains("invalid signal number 0", Assert.Throws<ArgumentOutOfRangeException>(() => simulation.SendSignal(0)).Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentOutOfRangeException>(() => simulation.SendSignal(Signals.Count));
        Assert.Throws<ArgumentOutOfRangeException>(() => simulation.SendSignal(Signals.SIGTERM, TimeSpan.FromSeconds(-1)));
        Assert.Throws<ArgumentOutOfRangeException>(() => simulation.SendSignal(32));
        Assert.Throws<NotSupportedException>(() => simulation.SendSignal(Signals.SIGSTOP));
        // SIGTSTP stops a process only when nothing handles it.
        Assert.Throws<NotSupportedException>(() => simulation.SendSignal(20));
    }

    [Fact]
    public void SigpipeWithNoHandler_IsIgnored_AsDotNetAndCPythonProcessesIgnoreIt()
    {
        var simulation = NewSimulation();
        async Coroutine Main()
        {
            simulation.SendSignal(13);
            await Asyncio.Sleep(1);
        }
        simulation.RunUntilComplete(Main());
        Assert.Contains(simulation.Trace.Events, e => e.Kind == "signal.ignore" && e.Details.StartsWith("signal 13", StringComparison.Ordinal));
    }

    [Fact]
    public void AGracefulShutdownOnSigterm_IsThePureFunctionOfItsSeed()
    {
        // A server closing on SIGTERM at a seeded time while clients keep connecting: run twice.
        static string RunOnce(long seed)
        {
            var simulation = NewSimulation(seed);
            var loop = simulation.Loop;
            async Coroutine Main()
            {
                var server = await Asyncio.StartServer(async (reader, writer) =>
                {
                    writer.Write(await reader.Read(100));
                    await writer.Drain();
                    writer.Close();
                }, "127.0.0.1", 8000);
                var stopping = new LoopEvent();
                loop.AddSignalHandler(Signals.SIGTERM, () =>
                {
                    server.Close();
                    stopping.Set();
                });
                simulation.SendSignal(Signals.SIGTERM, TimeSpan.FromMilliseconds(50 + simulation.Choices.NextInt(100)));
                var served = 0;
                while (!stopping.IsSet)
                {
                    try
                    {
                        var (reader, writer) = await Asyncio.OpenConnection("127.0.0.1", 8000);
                        writer.Write("ping"u8.ToArray());
                        await reader.Read(100);
                        writer.Close();
                        served++;
                    }
                    catch (System.Net.Sockets.SocketException)
                    {
                        break;
                    }
                    await Asyncio.Sleep(0.01);
                }
                await server.WaitClosed();
                Assert.True(served > 0);
            }
            simulation.RunUntilComplete(Main());
            return simulation.Trace.Hash;
        }
        Assert.Equal(RunOnce(21), RunOnce(21));
        Assert.NotEqual(RunOnce(21), RunOnce(22));
    }
}

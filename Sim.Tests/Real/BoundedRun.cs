using Sim.Core;
using Sim.Net;
using Sim.Real;

namespace Sim.Tests.Real;

/// <summary>
/// The loops the backend tests run on, and a run bounded by loop time: a test that would wait for
/// ever stops at its limit (RunUntilComplete then raises), and the loop is closed either way.
/// </summary>
internal static class BoundedRun
{
    /// <summary>A loop on "epoll", "portable" or "simulation" (quiet, seeded with <paramref name="seed"/>).</summary>
    public static EventLoop CreateLoop(string backend, int seed) => backend switch
    {
        "epoll" => RealLoop.Create(RealBackendKind.Epoll),
        "portable" => RealLoop.Create(RealBackendKind.Portable),
        "simulation" => new Simulation(seed, new SimulationOptions { Log = TextWriter.Null }).Loop,
        _ => throw new ArgumentException($"unknown backend '{backend}'; known: epoll, portable, simulation", nameof(backend)),
    };

    /// <summary>Runs <paramref name="body"/> on <paramref name="loop"/> for at most
    /// <paramref name="timeLimit"/> seconds of loop time, then closes the loop.</summary>
    public static T Run<T>(EventLoop loop, double timeLimit, Func<EventLoop, Coroutine<T>> body)
    {
        try
        {
            var guard = loop.CallLater(timeLimit, loop.Stop);
            var result = loop.RunUntilComplete(body(loop));
            guard.Cancel();
            return result;
        }
        finally
        {
            if (!loop.IsRunning)
                loop.Close();
        }
    }
}

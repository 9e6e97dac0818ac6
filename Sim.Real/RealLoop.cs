using Sim.Core;
using Sim.Real.Linux;
using Sim.Real.Portable;

namespace Sim.Real;

/// <summary>Which backend a production loop uses.</summary>
public enum RealBackendKind
{
    /// <summary>The best for the platform: epoll on Linux, portable elsewhere.</summary>
    Auto,
    /// <summary>EpollBackend: epoll and non-blocking sockets, system calls on the loop thread (Linux).</summary>
    Epoll,
    /// <summary>SocketBackend: .NET socket completions marshalled to the loop thread (any platform).</summary>
    Portable,
}

/// <summary>The production loop: the operating system's clock and I/O.</summary>
public static class RealLoop
{
    /// <summary>A new loop on the monotonic clock and the chosen backend.</summary>
    public static EventLoop Create(RealBackendKind backend = RealBackendKind.Auto, EventLoopOptions? options = null)
    {
        var clock = new MonotonicClock();
        IIoBackend io = backend switch
        {
            RealBackendKind.Epoll => new EpollBackend(),
            RealBackendKind.Portable => new SocketBackend(),
            _ when OperatingSystem.IsLinux() => new EpollBackend(),
            _ => new SocketBackend(),
        };
        options ??= new EventLoopOptions();
        return new EventLoop(clock, io, new EventLoopOptions
        {
            Debug = options.Debug,
            SlowCallbackDuration = options.SlowCallbackDuration,
            Log = options.Log,
            Tracer = options.Tracer,
            // Loop time 0 stands for the wall-clock instant the clock's epoch was.
            UtcEpoch = options.UtcEpoch ?? DateTimeOffset.UtcNow - TimeSpan.FromTicks(clock.NowNs / 100),
        });
    }

    /// <summary>Creates a loop, runs <paramref name="main"/> to completion, then closes the loop.</summary>
    public static T Run<T>(Func<Coroutine<T>> main, RealBackendKind backend = RealBackendKind.Auto)
    {
        ArgumentNullException.ThrowIfNull(main);
        var loop = Create(backend);
        try
        {
            return loop.RunUntilComplete(main());
        }
        finally
        {
            loop.Close();
        }
    }
}

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
    /// <summary>A new loop on the monotonic clock and the chosen backend, with
    /// <paramref name="options"/> (a real loop's clock sets <see cref="EventLoopOptions.UtcEpoch"/> when it is null).</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="backend"/> is not a kind.</exception>
    /// <exception cref="PlatformNotSupportedException">Epoll asked for off Linux.</exception>
    public static EventLoop Create(RealBackendKind backend = RealBackendKind.Auto, EventLoopOptions? options = null)
    {
        var clock = new MonotonicClock();
        IIoBackend io = backend switch
        {
            RealBackendKind.Epoll => new EpollBackend(),
            RealBackendKind.Portable => new SocketBackend(),
            RealBackendKind.Auto when OperatingSystem.IsLinux() => new EpollBackend(),
            RealBackendKind.Auto => new SocketBackend(),
            _ => throw new ArgumentOutOfRangeException(nameof(backend), backend, "Not a backend kind: Auto, Epoll or Portable"),
        };
        options ??= new EventLoopOptions();
        try
        {
            // Loop time 0 stands for the wall-clock instant the clock's epoch was.
            return new EventLoop(clock, io, options with
            {
                UtcEpoch = options.UtcEpoch ?? DateTimeOffset.UtcNow - TimeSpan.FromTicks(clock.NowNs / 100),
            });
        }
        catch
        {
            io.Dispose();   // the loop would have owned it
            throw;
        }
    }

    /// <summary>
    /// asyncio's <c>run</c> on a production loop: creates one on <paramref name="backend"/>, runs
    /// <paramref name="main"/> to completion in a task, then cancels the tasks still pending (and
    /// waits for them), finalises async iterators, shuts the default executor down and closes the loop.
    /// </summary>
    /// <exception cref="InvalidOperationException">Called from a running event loop.</exception>
    public static T Run<T>(Func<Coroutine<T>> main, RealBackendKind backend = RealBackendKind.Auto, EventLoopOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(main);
        return Asyncio.Run(() => Create(backend, options), main());
    }

    /// <inheritdoc cref="Run{T}(Func{Coroutine{T}}, RealBackendKind, EventLoopOptions?)"/>
    public static void Run(Func<Coroutine> main, RealBackendKind backend = RealBackendKind.Auto, EventLoopOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(main);
        Run<Unit>(main, backend, options);
    }
}

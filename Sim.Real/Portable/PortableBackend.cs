using Sim.Core;
using Sim.Real.Execution;

namespace Sim.Real.Portable;

/// <summary>
/// The backend for platforms without epoll: it sleeps on an event that <see cref="Wakeup"/>
/// sets. (Socket I/O through .NET's completions arrives with the real-backend issue.)
/// </summary>
public sealed class PortableBackend : IIoBackend
{
    private readonly ManualResetEventSlim _woken = new(false);

    /// <inheritdoc/>
    public bool Poll(long timeoutNs, bool outsideWorkInFlight)
    {
        var timeout = timeoutNs < 0 ? Timeout.InfiniteTimeSpan : TimeSpan.FromTicks(Math.Min((timeoutNs + 99) / 100, TimeSpan.MaxValue.Ticks / 2));
        if (timeoutNs != 0 && timeout > TimeSpan.FromMilliseconds(int.MaxValue))
            timeout = TimeSpan.FromMilliseconds(int.MaxValue);
        if (_woken.Wait(timeout))
            _woken.Reset();
        return true;
    }

    /// <inheritdoc/>
    public void Wakeup() => _woken.Set();

    /// <inheritdoc/>
    public IExecutor CreateDefaultExecutor() => new ThreadPoolExecutor();

    /// <inheritdoc/>
    public void Dispose() => _woken.Dispose();
}

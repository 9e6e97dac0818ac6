using Sim.Core;

namespace Sim.Net;

/// <summary>
/// The simulated backend: when the loop would wait, virtual time jumps to the next event
/// instead; when nothing can ever happen, <see cref="Poll"/> says so and the loop reports a
/// deadlock rather than hang.
/// </summary>
public sealed class SimBackend : IIoBackend
{
    private readonly Simulation _simulation;
    private readonly ManualResetEventSlim _woken = new(false);

    internal SimBackend(Simulation simulation) => _simulation = simulation;

    /// <inheritdoc/>
    public bool Poll(long timeoutNs, bool outsideWorkInFlight)
    {
        if (timeoutNs == 0)
            return true;
        if (outsideWorkInFlight && WaitForOutsideWork())
            return true;
        if (timeoutNs == IIoBackend.InfiniteTimeout)
            return false;
        _simulation.Clock.Advance(timeoutNs);
        return true;
    }

    /// <inheritdoc/>
    public void Wakeup() => _woken.Set();

    /// <inheritdoc/>
    public IExecutor CreateDefaultExecutor() => new SimExecutor(_simulation);

    /// <inheritdoc/>
    public void Dispose() => _woken.Dispose();

    /// <summary>Outside work runs in real time: wait for it (bounded) without moving virtual time.</summary>
    private bool WaitForOutsideWork()
    {
        var woken = _woken.Wait(TimeSpan.FromSeconds(_simulation.Options.OutsideWorkWaitMax));
        _woken.Reset();
        return woken;
    }
}

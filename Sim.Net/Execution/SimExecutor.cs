using Sim.Core;

namespace Sim.Net;

/// <summary>
/// The simulated executor: a job runs on the loop thread at a virtual time drawn from the
/// seed, so its result arrives deterministically and virtual time never passes work in flight.
/// </summary>
internal sealed class SimExecutor(Simulation simulation) : IExecutor
{
    private long _lastDeadlineNs;
    private bool _shutdown;

    public bool RunsOutsideLoop => false;

    public void Submit(EventLoop loop, Action work, Action completion)
    {
        if (_shutdown)
            throw new InvalidOperationException("cannot schedule new futures after shutdown");
        var latencyNs = (long)(simulation.Choices.NextDouble() * simulation.Options.ExecutorLatencyMax * 1e9);
        var deadlineNs = loop.TimeNs() + latencyNs;
        _lastDeadlineNs = Math.Max(_lastDeadlineNs, deadlineNs);
        simulation.Trace.Record("executor", "submit", $"due at +{latencyNs} ns");
        loop.CallAtNs(deadlineNs, static job => job.Run(), new Job(work, completion));
    }

    public void Shutdown(EventLoop loop, Action completion)
    {
        _shutdown = true;
        if (loop.IsClosed)
            return;
        // Timers with equal deadlines run in scheduling order, so this runs after the last job.
        loop.CallAtNs(Math.Max(_lastDeadlineNs, loop.TimeNs()), static done => done(), completion);
    }

    private sealed record Job(Action Work, Action Completion)
    {
        public void Run()
        {
            Work();
            Completion();
        }
    }
}

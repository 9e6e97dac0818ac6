using Sim.Core;

namespace Sim.Real.Execution;

/// <summary>Runs executor jobs on the .NET thread pool; completions return through
/// <c>CallSoonThreadsafe</c>.</summary>
public sealed class ThreadPoolExecutor : IExecutor
{
    private readonly Lock _lock = new();
    private int _inFlight;
    private bool _shutdown;
    private (EventLoop Loop, Action Completion)? _onDrained;

    /// <inheritdoc/>
    public bool RunsOutsideLoop => true;

    /// <inheritdoc/>
    public void Submit(EventLoop loop, Action work, Action completion)
    {
        ArgumentNullException.ThrowIfNull(loop);
        lock (_lock)
        {
            if (_shutdown)
                throw new InvalidOperationException("cannot schedule new futures after shutdown");
            _inFlight++;
        }
        ThreadPool.UnsafeQueueUserWorkItem(_ =>
        {
            work();
            loop.TryCallSoonThreadsafe(completion);
            Finished();
        }, null);
    }

    /// <inheritdoc/>
    public void Shutdown(EventLoop loop, Action completion)
    {
        ArgumentNullException.ThrowIfNull(loop);
        lock (_lock)
        {
            _shutdown = true;
            if (_inFlight > 0)
            {
                _onDrained = (loop, completion);
                return;
            }
        }
        loop.TryCallSoonThreadsafe(completion);
    }

    private void Finished()
    {
        (EventLoop Loop, Action Completion)? drained = null;
        lock (_lock)
        {
            if (--_inFlight == 0 && _onDrained is not null)
            {
                drained = _onDrained;
                _onDrained = null;
            }
        }
        drained?.Loop.TryCallSoonThreadsafe(drained.Value.Completion);
    }
}

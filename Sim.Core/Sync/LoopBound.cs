namespace Sim.Core;

/// <summary>
/// The loop a synchronisation primitive belongs to: the running loop at its first use
/// (asyncio's <c>_LoopBoundMixin</c>); using it from another loop afterwards is an error.
/// </summary>
public abstract class LoopBound
{
    private EventLoop? _loop;

    private protected EventLoop GetLoop()
    {
        var running = Asyncio.GetRunningLoop();
        if (_loop is null)
            _loop = running;
        else if (_loop != running)
            throw new InvalidOperationException($"{GetType().Name} is bound to a different event loop");
        return _loop;
    }
}

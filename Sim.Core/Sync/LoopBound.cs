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
            throw new InvalidOperationException(
                $"{TypeName} is bound to a different event loop: a primitive belongs to the loop it first waited on; create one per loop.");
        return _loop;
    }

    /// <summary>The bound loop while it runs: then, primitives being used on their loop's thread
    /// only, it is the loop running on the calling thread, known without a thread-local read.
    /// Null when the primitive is not bound yet or its loop is not running.</summary>
    internal EventLoop? RunningBoundLoop => _loop is { IsRunning: true } loop ? loop : null;

    /// <summary>True while a task of the loop running on this thread is being stepped. Primitives
    /// are not thread-safe (as in asyncio, whose fast paths do not check the thread either); in
    /// debug mode a foreign thread is never inside the step, so its await takes the slow path,
    /// which refuses it, instead of changing the primitive from that thread.</summary>
    internal bool InTaskStep() =>
        RunningBoundLoop is { } loop
            ? loop.CurrentTask is not null && (!loop.Debug || loop.IsOnLoopThread)
            : EventLoop.SteppingTask is not null;

    /// <summary>In debug mode, refuses a call from a thread other than the one running the loop
    /// the primitive is bound to (asyncio's debug check): primitives are not thread-safe.</summary>
    private protected void CheckThread()
    {
        if (_loop is { Debug: true, IsRunning: true } loop && !loop.IsOnLoopThread)
            throw new InvalidOperationException(
                $"{TypeName} used from a thread other than its loop's: primitives are not thread-safe; call it through loop.CallSoonThreadsafe.");
    }

    /// <summary>The type's name without a generic arity suffix (<c>LoopQueue</c>, not <c>LoopQueue`1</c>).</summary>
    private protected string TypeName
    {
        get
        {
            var name = GetType().Name;
            var tick = name.IndexOf('`', StringComparison.Ordinal);
            return tick > 0 ? name[..tick] : name;
        }
    }
}

namespace Sim.Core;

/// <summary>
/// Watches the loop run callbacks, for traces and determinism checks. Called on the loop
/// thread before each callback; keep it cheap.
/// </summary>
public interface ILoopTracer
{
    /// <summary>The loop is about to run the callback described by <paramref name="callback"/>.</summary>
    void CallbackRunning(EventLoop loop, string callback);
}

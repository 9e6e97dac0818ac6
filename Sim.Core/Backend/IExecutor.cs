namespace Sim.Core;

/// <summary>
/// Runs blocking work away from the loop's callbacks. A real executor runs it on other threads;
/// a simulated one runs it at a virtual time chosen by the seed, so runs stay reproducible.
/// </summary>
public interface IExecutor
{
    /// <summary>
    /// Runs <paramref name="work"/>, then <paramref name="completion"/> on the loop's thread
    /// (through <see cref="EventLoop.CallSoonThreadsafe(Action)"/> or a loop timer).
    /// </summary>
    void Submit(EventLoop loop, Action work, Action completion);

    /// <summary>
    /// Refuses further work and runs <paramref name="completion"/> on the loop once every job
    /// submitted before has finished.
    /// </summary>
    void Shutdown(EventLoop loop, Action completion);

    /// <summary>True when jobs run outside the loop's control (other threads), false when the
    /// loop schedules them itself (simulation).</summary>
    bool RunsOutsideLoop { get; }
}

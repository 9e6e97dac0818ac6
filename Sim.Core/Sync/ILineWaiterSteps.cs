namespace Sim.Core;

/// <summary>The hooks of a line waiter's operation (see <see cref="LineWaiter{TResult}"/>).</summary>
internal interface ILineWaiterSteps
{
    /// <summary>The first step, run at the <c>await</c>: true when the operation finished, or the
    /// result of joining a line (false).</summary>
    bool Begin();

    /// <summary>The waiter's turn came (it was woken, not cancelled): same contract as <see cref="Begin"/>.</summary>
    bool Resume();

    /// <summary>The task was cancelled while it waited, or after it was woken (the waiter's
    /// <c>Cancelled</c> tells which): leave the primitive consistent. The operation then raises.</summary>
    void Abandon();
}

namespace Sim.Core;

/// <summary>
/// The loop was asked to wait for ever but its backend proved that nothing could ever wake it:
/// no callbacks are ready, no timers are scheduled, no I/O can arrive and no outside work is in
/// flight. The message names the tasks still pending, which are the ones stuck.
/// </summary>
public sealed class DeadlockException : InvalidOperationException
{
    /// <summary>Creates the exception with its default message.</summary>
    public DeadlockException() { }

    /// <summary>Creates the exception with <paramref name="message"/>.</summary>
    public DeadlockException(string message) : base(message) { }

    /// <summary>Creates the exception with <paramref name="message"/> and the exception that caused it.</summary>
    public DeadlockException(string message, Exception innerException) : base(message, innerException) { }

    /// <summary>Names of the tasks that were pending, in creation order.</summary>
    public IReadOnlyList<string> PendingTasks { get; init; } = [];

    /// <summary>What the backend still held (open connections and endpoints, for a simulated
    /// network), when it could tell; also part of the message.</summary>
    public string? BackendState { get; init; }
}

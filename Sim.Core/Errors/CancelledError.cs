namespace Sim.Core;

/// <summary>
/// Raised at the <c>await</c> where a cancelled task is suspended, and by <c>Result()</c> of a
/// cancelled future (asyncio's <c>CancelledError</c>). Only this type cancels a task: a plain
/// <see cref="OperationCanceledException"/> escaping a coroutine fails the task like any error.
/// </summary>
public class CancelledError : OperationCanceledException
{
    /// <summary>A cancellation without a message.</summary>
    public CancelledError() : base(string.Empty) => CancelMessage = null;

    /// <summary>A cancellation carrying the message given to <c>Cancel(msg)</c>.</summary>
    public CancelledError(string? message) : base(message ?? string.Empty) => CancelMessage = message;

    /// <summary>A cancellation caused by another exception.</summary>
    public CancelledError(string? message, Exception? innerException)
        : base(message ?? string.Empty, innerException) => CancelMessage = message;

    /// <summary>The message passed to <c>Cancel(msg)</c>, or null when none was given.</summary>
    public string? CancelMessage { get; }
}

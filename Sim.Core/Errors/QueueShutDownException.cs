namespace Sim.Core;

/// <summary>
/// A put on a queue that was shut down, or a get from one that is shut down and empty (or was
/// shut down immediately); asyncio's <c>QueueShutDown</c> (Python 3.13).
/// </summary>
public sealed class QueueShutDownException : InvalidOperationException
{
    /// <summary>Creates the exception with its default message.</summary>
    public QueueShutDownException() : base("The queue is shut down.") { }

    /// <summary>Creates the exception with <paramref name="message"/>.</summary>
    public QueueShutDownException(string message) : base(message) { }

    /// <summary>Creates the exception with <paramref name="message"/> and the exception that caused it.</summary>
    public QueueShutDownException(string message, Exception innerException) : base(message, innerException) { }
}

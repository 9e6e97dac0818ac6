namespace Sim.Core;

/// <summary><c>PutNowait</c> on a full queue (asyncio's <c>QueueFull</c>).</summary>
public sealed class QueueFullException : InvalidOperationException
{
    /// <summary>Creates the exception with its default message.</summary>
    public QueueFullException() : base("The queue is full.") { }

    /// <summary>Creates the exception with <paramref name="message"/>.</summary>
    public QueueFullException(string message) : base(message) { }

    /// <summary>Creates the exception with <paramref name="message"/> and the exception that caused it.</summary>
    public QueueFullException(string message, Exception innerException) : base(message, innerException) { }
}

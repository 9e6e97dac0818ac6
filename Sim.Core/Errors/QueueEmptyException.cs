namespace Sim.Core;

/// <summary><c>GetNowait</c> on an empty queue (asyncio's <c>QueueEmpty</c>).</summary>
public sealed class QueueEmptyException : InvalidOperationException
{
    /// <summary>Creates the exception with its default message.</summary>
    public QueueEmptyException() : base("The queue is empty.") { }

    /// <summary>Creates the exception with <paramref name="message"/>.</summary>
    public QueueEmptyException(string message) : base(message) { }

    /// <summary>Creates the exception with <paramref name="message"/> and the exception that caused it.</summary>
    public QueueEmptyException(string message, Exception innerException) : base(message, innerException) { }
}

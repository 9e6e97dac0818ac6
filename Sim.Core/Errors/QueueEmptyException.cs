namespace Sim.Core;

/// <summary><c>GetNowait</c> on an empty queue (asyncio's <c>QueueEmpty</c>).</summary>
public sealed class QueueEmptyException : InvalidOperationException
{
    public QueueEmptyException() : base("The queue is empty.") { }

    public QueueEmptyException(string message) : base(message) { }

    public QueueEmptyException(string message, Exception innerException) : base(message, innerException) { }
}

namespace Sim.Core;

/// <summary><c>PutNowait</c> on a full queue (asyncio's <c>QueueFull</c>).</summary>
public sealed class QueueFullException : InvalidOperationException
{
    public QueueFullException() : base("The queue is full.") { }

    public QueueFullException(string message) : base(message) { }

    public QueueFullException(string message, Exception innerException) : base(message, innerException) { }
}

namespace Sim.Core;

/// <summary><c>GetNowait</c> on an empty queue (asyncio's <c>QueueEmpty</c>).</summary>
public sealed class QueueEmptyException : InvalidOperationException
{
    public QueueEmptyException() : base("The queue is empty.") { }

    public QueueEmptyException(string message) : base(message) { }

    public QueueEmptyException(string message, Exception innerException) : base(message, innerException) { }
}

/// <summary><c>PutNowait</c> on a full queue (asyncio's <c>QueueFull</c>).</summary>
public sealed class QueueFullException : InvalidOperationException
{
    public QueueFullException() : base("The queue is full.") { }

    public QueueFullException(string message) : base(message) { }

    public QueueFullException(string message, Exception innerException) : base(message, innerException) { }
}

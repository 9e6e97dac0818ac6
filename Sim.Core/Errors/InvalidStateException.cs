namespace Sim.Core;

/// <summary>
/// An operation is not allowed in a future's current state: a second <c>SetResult</c>, or
/// <c>Result()</c> of a pending future (asyncio's <c>InvalidStateError</c>).
/// </summary>
public class InvalidStateException : InvalidOperationException
{
    public InvalidStateException() { }

    public InvalidStateException(string message) : base(message) { }

    public InvalidStateException(string message, Exception innerException) : base(message, innerException) { }
}

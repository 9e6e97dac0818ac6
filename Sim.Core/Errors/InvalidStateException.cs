namespace Sim.Core;

/// <summary>
/// An operation is not allowed in a future's current state: a second <c>SetResult</c>, or
/// <c>Result()</c> of a pending future (asyncio's <c>InvalidStateError</c>).
/// </summary>
public class InvalidStateException : InvalidOperationException
{
    /// <summary>Creates the exception with its default message.</summary>
    public InvalidStateException() { }

    /// <summary>Creates the exception with <paramref name="message"/>.</summary>
    public InvalidStateException(string message) : base(message) { }

    /// <summary>Creates the exception with <paramref name="message"/> and the exception that caused it.</summary>
    public InvalidStateException(string message, Exception innerException) : base(message, innerException) { }
}

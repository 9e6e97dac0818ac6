namespace Sim.Core;

/// <summary>
/// The operating system's sendfile cannot be used for this socket or file (asyncio's
/// <c>SendfileNotAvailableError</c>): the backend has none (the simulation, the portable backend),
/// or the file is not a regular file. <c>Sendfile</c> and <c>SockSendfile</c> then fall back to
/// reading and writing, unless told not to.
/// </summary>
public sealed class SendfileNotAvailableException : InvalidOperationException
{
    /// <summary>Creates the exception with its default message.</summary>
    public SendfileNotAvailableException() { }

    /// <summary>Creates the exception with <paramref name="message"/>.</summary>
    public SendfileNotAvailableException(string message) : base(message) { }

    /// <summary>Creates the exception with <paramref name="message"/> and the exception that caused it.</summary>
    public SendfileNotAvailableException(string message, Exception innerException) : base(message, innerException) { }
}

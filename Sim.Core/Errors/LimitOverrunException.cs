namespace Sim.Core;

/// <summary>
/// A read up to a separator reached the stream reader's limit (asyncio's <c>LimitOverrunError</c>).
/// After <c>ReadUntil</c> the data stays buffered and can be read again; after <c>ReadLine</c>
/// it is dropped as asyncio drops it (asyncio raises <c>ValueError</c> there).
/// </summary>
public sealed class LimitOverrunException : Exception
{
    /// <summary>Creates the exception with its default message.</summary>
    public LimitOverrunException() { }

    /// <summary>Creates the exception with <paramref name="message"/>.</summary>
    public LimitOverrunException(string message) : base(message) { }

    /// <summary>Creates the exception with <paramref name="message"/> and the exception that caused it.</summary>
    public LimitOverrunException(string message, Exception innerException) : base(message, innerException) { }

    /// <summary>The limit was reached with <paramref name="consumed"/> bytes to consume.</summary>
    public LimitOverrunException(string message, int consumed) : base(message) => Consumed = consumed;

    /// <summary>How many bytes would have to be consumed.</summary>
    public int Consumed { get; }
}

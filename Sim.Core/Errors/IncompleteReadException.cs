namespace Sim.Core;

/// <summary>
/// The stream ended before a read was satisfied (asyncio's <c>IncompleteReadError</c>, an
/// <c>EOFError</c>): <see cref="Partial"/> holds what was read, which is no longer buffered.
/// </summary>
public sealed class IncompleteReadException : EndOfStreamException
{
    /// <summary>Creates the exception with its default message.</summary>
    public IncompleteReadException() : this([], null) { }

    /// <summary>Creates the exception with <paramref name="message"/>.</summary>
    public IncompleteReadException(string message) : base(message) => Partial = [];

    /// <summary>Creates the exception with <paramref name="message"/> and the exception that caused it.</summary>
    public IncompleteReadException(string message, Exception innerException) : base(message, innerException) => Partial = [];

    /// <summary>The end of the stream came after <paramref name="partial"/>, short of
    /// <paramref name="expected"/> bytes (null: a separator was expected).</summary>
    public IncompleteReadException(byte[] partial, int? expected)
        : base($"{partial?.Length ?? 0} bytes read on a total of {(expected is { } n ? n.ToString(System.Globalization.CultureInfo.InvariantCulture) : "undefined")} expected bytes")
    {
        Partial = partial ?? [];
        Expected = expected;
    }

    /// <summary>The bytes read before the end of the stream.</summary>
    public byte[] Partial { get; }

    /// <summary>How many bytes were expected; null when reading up to a separator.</summary>
    public int? Expected { get; }
}

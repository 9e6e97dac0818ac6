namespace Sim.Core;

/// <summary>
/// Several exceptions raised together (Python's <c>ExceptionGroup</c>): what a
/// <see cref="TaskGroup"/> raises when children fail, in the order they failed, the body's own
/// error last. Its <see cref="Message"/> reads like Python's <c>str()</c> of the group:
/// <c>unhandled errors in a TaskGroup (2 sub-exceptions)</c>.
/// </summary>
public class ExceptionGroup : AggregateException
{
    /// <summary>A group of <paramref name="exceptions"/> (at least one) under <paramref name="message"/>.</summary>
    /// <exception cref="ArgumentException">No exception was given.</exception>
    public ExceptionGroup(string message, IEnumerable<Exception> exceptions)
        : base(message, exceptions)
    {
        if (InnerExceptions.Count == 0)
            throw new ArgumentException("An ExceptionGroup needs at least one exception; for none, raise nothing.", nameof(exceptions));
        GroupMessage = message;
    }

    /// <summary>A group of <paramref name="exceptions"/> under <paramref name="message"/>.</summary>
    public ExceptionGroup(string message, params Exception[] exceptions)
        : this(message, (IEnumerable<Exception>)exceptions)
    {
    }

    /// <summary>The message the group was made with, without the count (Python's <c>message</c>).</summary>
    public string GroupMessage { get; }

    /// <summary>The exceptions in the group (Python's <c>exceptions</c>).</summary>
    public IReadOnlyList<Exception> Exceptions => InnerExceptions;

    /// <summary>Python's <c>str()</c>: the message and how many exceptions the group holds.</summary>
    public override string Message =>
        $"{GroupMessage} ({InnerExceptions.Count} sub-exception{(InnerExceptions.Count == 1 ? "" : "s")})";
}

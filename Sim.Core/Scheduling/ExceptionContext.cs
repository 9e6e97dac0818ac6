namespace Sim.Core;

/// <summary>
/// What the loop tells its exception handler (asyncio's context dict): a message, the exception
/// if there was one, and the handle, future or task it came from.
/// </summary>
public sealed class ExceptionContext
{
    /// <summary>A context saying <paramref name="message"/>, with the <paramref name="exception"/> behind it if any.</summary>
    public ExceptionContext(string message, Exception? exception = null)
    {
        Message = message;
        Exception = exception;
    }

    /// <summary>What went wrong, in a sentence.</summary>
    public string Message { get; }

    /// <summary>The exception, when one was raised.</summary>
    public Exception? Exception { get; }

    /// <summary>The callback that raised, when it was one scheduled with <c>CallSoon</c>.</summary>
    public Handle? Handle { get; init; }

    /// <summary>The timer whose callback raised.</summary>
    public TimerHandle? TimerHandle { get; init; }

    /// <summary>The future concerned, when there is one.</summary>
    public Future? Future { get; init; }

    /// <summary>The task concerned, when there is one.</summary>
    public ILoopTask? Task { get; init; }

    /// <summary>For an error raised by a custom handler: the context it was handling.</summary>
    public ExceptionContext? Inner { get; init; }

    /// <summary>A readable name of the callback concerned, as asyncio prints it.</summary>
    public string? CallbackName { get; init; }

    /// <summary>The lines the default handler writes: the message, then one line a field.</summary>
    public override string ToString()
    {
        var lines = new List<string> { Message };
        if (CallbackName is not null)
            lines.Add($"callback: {CallbackName}");
        if (Future is not null && Task is null)
            lines.Add($"future: {Future}");
        if (Task is not null)
            lines.Add($"task: {Task}");
        if (Inner is not null)
            lines.Add($"context: {Inner.Message}");
        if (Exception is not null)
            lines.Add(Exception.ToString());
        return string.Join(Environment.NewLine, lines);
    }
}

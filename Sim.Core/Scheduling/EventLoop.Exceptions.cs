namespace Sim.Core;

public sealed partial class EventLoop
{
    private Action<EventLoop, ExceptionContext>? _exceptionHandler;

    /// <summary>Sets the handler for errors no caller can receive (null restores the default).</summary>
    public void SetExceptionHandler(Action<EventLoop, ExceptionContext>? handler) => _exceptionHandler = handler;

    /// <summary>The handler set with <see cref="SetExceptionHandler"/>, or null for the default.</summary>
    public Action<EventLoop, ExceptionContext>? GetExceptionHandler() => _exceptionHandler;

    /// <summary>Writes the context to the loop's log (Console.Error unless the options name another writer).</summary>
    public void DefaultExceptionHandler(ExceptionContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var log = _log ?? Console.Error;
        log.WriteLine(context.ToString());
    }

    /// <summary>
    /// Passes <paramref name="context"/> to the handler. An exception raised by a custom handler
    /// goes to the default handler, wrapped; the loop always carries on.
    /// </summary>
    public void CallExceptionHandler(ExceptionContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (_exceptionHandler is not { } handler)
        {
            DefaultExceptionHandler(context);
            return;
        }
        try
        {
            handler(this, context);
        }
        catch (Exception exception)
        {
            DefaultExceptionHandler(new ExceptionContext("Unhandled error in exception handler", exception) { Inner = context });
        }
    }
}

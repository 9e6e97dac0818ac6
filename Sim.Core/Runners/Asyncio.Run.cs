namespace Sim.Core;

public static partial class Asyncio
{
    /// <summary>
    /// asyncio's <c>run</c>: creates a loop with <paramref name="loopFactory"/>, runs
    /// <paramref name="main"/> to completion, then cancels what is left, finalises async
    /// iterators, shuts the default executor down and closes the loop.
    /// </summary>
    /// <exception cref="InvalidOperationException">Called from a running event loop.</exception>
    public static T Run<T>(Func<EventLoop> loopFactory, Coroutine<T> main, bool? debug = null)
    {
        ArgumentNullException.ThrowIfNull(loopFactory);
        ArgumentNullException.ThrowIfNull(main);
        if (EventLoop.RunningLoopOnThisThread is not null)
            throw new InvalidOperationException("asyncio.run() cannot be called from a running event loop");
        using var runner = new Runner(loopFactory, debug);
        return runner.Run(main);
    }
}

using Sim.Core;

namespace Sim.Tests.Golden;

/// <summary>C# twins of the exception handler scenarios (Scenarios/loop_12, loop_13).</summary>
internal static class LoopExceptionHandlerScenarios
{
    private sealed class Boom(string message) : Exception(message);

    private sealed class HandlerFailed(string message) : Exception(message);

    [Golden("loop_12_exception_handler")]
    public static void ExceptionHandler(GoldenContext g)
    {
        var loop = g.Loop;
        g.Print("default handler:", loop.GetExceptionHandler());
        void Handler(EventLoop source, ExceptionContext context)
        {
            g.Print("handler: message starts with 'Exception in callback':",
                context.Message.StartsWith("Exception in callback", StringComparison.Ordinal));
            g.Print("handler: exception", context.Exception!.GetType().Name, context.Exception.Message);
            g.Print("handler: handle set:", context.Handle is not null || context.TimerHandle is not null,
                "future set:", context.Future is not null, "task set:", context.Task is not null);
        }
        Action<EventLoop, ExceptionContext> handler = Handler;
        loop.SetExceptionHandler(handler);
        g.Print("custom handler set:", ReferenceEquals(loop.GetExceptionHandler(), handler));
        static void Bad(string what) => throw new Boom(what);
        loop.CallSoon(Bad, "from call_soon");
        loop.CallSoon(() => g.Print("next callback runs"));
        loop.CallLater(0.01, Bad, "from call_later");
        var fut = loop.CreateFuture<Unit>();
        fut.AddDoneCallback(_ => Bad("from a done-callback"));
        fut.SetResult(Unit.Value);
        loop.CallLater(0.02, loop.Stop);
        loop.RunForever();
        g.Print("loop carried on");
        loop.SetExceptionHandler(null);
        g.Print("restored default:", loop.GetExceptionHandler());
        loop.Close();
    }

    [Golden("loop_13_exception_handler_raises")]
    public static void ExceptionHandlerRaises(GoldenContext g)
    {
        var loop = g.Loop;
        g.OnLog = entry => g.Print("default handler logged:", entry.Split('\n')[0].TrimEnd('\r'));
        loop.SetExceptionHandler((_, context) =>
        {
            g.Print("custom handler got:", context.Exception!.GetType().Name);
            throw new HandlerFailed("handler broke");
        });
        loop.CallSoon(() => throw new Boom("callback broke"));
        loop.CallSoon(() => g.Print("loop carries on"));
        loop.CallSoon(loop.Stop);
        loop.RunForever();
        g.Print("done");
        loop.Close();
    }
}

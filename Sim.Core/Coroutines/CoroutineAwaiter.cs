using System.Runtime.CompilerServices;

namespace Sim.Core;

/// <summary>Awaits a coroutine: inside a task it runs inline at once, like Python's <c>await coro</c>.</summary>
public readonly struct CoroutineAwaiter<T> : ICriticalNotifyCompletion, ILoopAwaiter
{
    // Layout contract of ILoopAwaiter: exactly one field, an IAwaitTarget.
    private readonly Coroutine<T> _coroutine;

    internal CoroutineAwaiter(Coroutine<T> coroutine) => _coroutine = coroutine;

    public bool IsCompleted => _coroutine.BeginAwait();

    public T GetResult() => _coroutine.GetResult();

    public void OnCompleted(Action continuation) => _coroutine.AwaitFromForeign(continuation);

    public void UnsafeOnCompleted(Action continuation) => _coroutine.AwaitFromForeign(continuation);
}

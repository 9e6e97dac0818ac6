using System.Runtime.CompilerServices;

namespace Sim.Core;

/// <summary>Awaits a coroutine: inside a task it runs inline at once, like Python's <c>await coro</c>.</summary>
public readonly struct CoroutineAwaiter<T> : ICriticalNotifyCompletion, ILoopAwaiter
{
    // Layout contract of ILoopAwaiter: exactly one field, an IAwaitTarget.
    private readonly Coroutine<T> _coroutine;

    internal CoroutineAwaiter(Coroutine<T> coroutine) => _coroutine = coroutine;

    /// <summary>Whether the await can go on without suspending (the compiler's await pattern).</summary>
    public bool IsCompleted => _coroutine.BeginAwait();

    /// <summary>The awaited result, or its exception thrown (the compiler's await pattern).</summary>
    public T GetResult() => _coroutine.GetResult();

    /// <inheritdoc/>
    public void OnCompleted(Action continuation) => _coroutine.AwaitFromForeign(continuation);

    /// <inheritdoc/>
    public void UnsafeOnCompleted(Action continuation) => _coroutine.AwaitFromForeign(continuation);
}

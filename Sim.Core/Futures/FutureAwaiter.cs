using System.Runtime.CompilerServices;

namespace Sim.Core;

/// <summary>Awaits a <see cref="Future{T}"/>. Inside a coroutine the awaiting task records the
/// future as the one it waits on (so cancelling the task cancels it); elsewhere the
/// continuation runs through <c>CallSoon</c> once the future is done.</summary>
public readonly struct FutureAwaiter<T> : ICriticalNotifyCompletion, ILoopAwaiter
{
    // Layout contract of ILoopAwaiter: exactly one field, an IAwaitTarget.
    private readonly Future<T> _future;

    internal FutureAwaiter(Future<T> future) => _future = future;

    /// <summary>Whether the await can go on without suspending (the compiler's await pattern).</summary>
    public bool IsCompleted => _future.Done;

    /// <summary>The awaited result, or its exception thrown (the compiler's await pattern).</summary>
    public T GetResult() => _future.GetResultForAwait();

    /// <inheritdoc/>
    public void OnCompleted(Action continuation) => _future.AddDoneCallbackCore(Callback.Of(continuation));

    /// <inheritdoc/>
    public void UnsafeOnCompleted(Action continuation) => OnCompleted(continuation);
}

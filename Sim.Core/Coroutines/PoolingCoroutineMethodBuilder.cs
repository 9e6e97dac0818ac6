using System.ComponentModel;
using System.Runtime.CompilerServices;

namespace Sim.Core;

/// <summary>
/// A builder for an <c>async Coroutine&lt;T&gt;</c> method called over and over on a hot path,
/// chosen per method with
/// <c>[AsyncMethodBuilder(typeof(PoolingCoroutineMethodBuilder&lt;&gt;))]</c>, as .NET's
/// <c>PoolingAsyncValueTaskMethodBuilder</c> is: a call whose coroutine was awaited inline (by a
/// coroutine of the same task) and whose result was read leaves its coroutine to the thread for
/// the method's next call, so a loop of such calls allocates nothing.
/// </summary>
/// <remarks>
/// The contract is a pooled <c>ValueTask</c>'s: await each call's coroutine once. A second
/// <c>await</c> raises "cannot reuse already awaited coroutine" until the method's next call on
/// that thread, which may hand the same object out again. A coroutine wrapped in a task, awaited
/// by plain .NET code, or that raised is never reused, and while the loop running on the thread is in
/// debug mode nothing is kept or handed out.
/// </remarks>
[EditorBrowsable(EditorBrowsableState.Never)]
public struct PoolingCoroutineMethodBuilder<T>
{
    private Coroutine<T>? _coroutine;

    /// <summary>Called by compiler-generated code (the async method builder pattern); not for user code.</summary>
    public static PoolingCoroutineMethodBuilder<T> Create() => default;

    /// <summary>Called by compiler-generated code (the async method builder pattern); not for user code.</summary>
    public readonly Coroutine<T> Task => _coroutine!;

    /// <summary>Called by compiler-generated code (the async method builder pattern); not for user code.</summary>
    public void Start<TStateMachine>(ref TStateMachine stateMachine)
        where TStateMachine : IAsyncStateMachine
    {
        var box = CoroutinePool<PooledCoroutineBox<T, TStateMachine>>.Rent();
        _coroutine = box;
        // Copied after _coroutine is set, so the builder inside the box points at the box.
        box.StateMachine = stateMachine;
    }

    /// <summary>Called by compiler-generated code (the async method builder pattern); not for user code.</summary>
    public readonly void SetStateMachine(IAsyncStateMachine stateMachine) { }

    /// <summary>Called by compiler-generated code (the async method builder pattern); not for user code.</summary>
    public readonly void SetResult(T result) => _coroutine!.SetResult(result);

    /// <summary>Called by compiler-generated code (the async method builder pattern); not for user code.</summary>
    public readonly void SetException(Exception exception) => _coroutine!.SetException(exception);

    /// <summary>Called by compiler-generated code (the async method builder pattern); not for user code.</summary>
    public readonly void AwaitOnCompleted<TAwaiter, TStateMachine>(ref TAwaiter awaiter, ref TStateMachine stateMachine)
        where TAwaiter : INotifyCompletion
        where TStateMachine : IAsyncStateMachine
    {
        if (!Suspension.OnLoopAwaitable(_coroutine!, ref awaiter))
            awaiter.OnCompleted(Suspension.OnForeignAwaitable(_coroutine!));
    }

    /// <summary>Called by compiler-generated code (the async method builder pattern); not for user code.</summary>
    public readonly void AwaitUnsafeOnCompleted<TAwaiter, TStateMachine>(ref TAwaiter awaiter, ref TStateMachine stateMachine)
        where TAwaiter : ICriticalNotifyCompletion
        where TStateMachine : IAsyncStateMachine
    {
        if (!Suspension.OnLoopAwaitable(_coroutine!, ref awaiter))
            awaiter.UnsafeOnCompleted(Suspension.OnForeignAwaitable(_coroutine!));
    }
}

/// <summary>The pooling builder for an <c>async Coroutine</c> method (see
/// <see cref="PoolingCoroutineMethodBuilder{T}"/>): <c>[AsyncMethodBuilder(typeof(PoolingCoroutineMethodBuilder))]</c>.</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public struct PoolingCoroutineMethodBuilder
{
    private Coroutine? _coroutine;

    /// <summary>Called by compiler-generated code (the async method builder pattern); not for user code.</summary>
    public static PoolingCoroutineMethodBuilder Create() => default;

    /// <summary>Called by compiler-generated code (the async method builder pattern); not for user code.</summary>
    public readonly Coroutine Task => _coroutine!;

    /// <summary>Called by compiler-generated code (the async method builder pattern); not for user code.</summary>
    public void Start<TStateMachine>(ref TStateMachine stateMachine)
        where TStateMachine : IAsyncStateMachine
    {
        var box = CoroutinePool<PooledVoidCoroutineBox<TStateMachine>>.Rent();
        _coroutine = box;
        box.StateMachine = stateMachine;
    }

    /// <summary>Called by compiler-generated code (the async method builder pattern); not for user code.</summary>
    public readonly void SetStateMachine(IAsyncStateMachine stateMachine) { }

    /// <summary>Called by compiler-generated code (the async method builder pattern); not for user code.</summary>
    public readonly void SetResult() => _coroutine!.SetResult(Unit.Value);

    /// <summary>Called by compiler-generated code (the async method builder pattern); not for user code.</summary>
    public readonly void SetException(Exception exception) => _coroutine!.SetException(exception);

    /// <summary>Called by compiler-generated code (the async method builder pattern); not for user code.</summary>
    public readonly void AwaitOnCompleted<TAwaiter, TStateMachine>(ref TAwaiter awaiter, ref TStateMachine stateMachine)
        where TAwaiter : INotifyCompletion
        where TStateMachine : IAsyncStateMachine
    {
        if (!Suspension.OnLoopAwaitable(_coroutine!, ref awaiter))
            awaiter.OnCompleted(Suspension.OnForeignAwaitable(_coroutine!));
    }

    /// <summary>Called by compiler-generated code (the async method builder pattern); not for user code.</summary>
    public readonly void AwaitUnsafeOnCompleted<TAwaiter, TStateMachine>(ref TAwaiter awaiter, ref TStateMachine stateMachine)
        where TAwaiter : ICriticalNotifyCompletion
        where TStateMachine : IAsyncStateMachine
    {
        if (!Suspension.OnLoopAwaitable(_coroutine!, ref awaiter))
            awaiter.UnsafeOnCompleted(Suspension.OnForeignAwaitable(_coroutine!));
    }
}

using System.ComponentModel;
using System.Runtime.CompilerServices;

namespace Sim.Core;

/// <summary>
/// The async method builder behind <see cref="Coroutine{T}"/>. <see cref="Start"/> boxes the
/// state machine without running it (coroutines are lazy); awaits of SimLoop awaitables suspend
/// the driving task directly, other awaitables resume it through the loop.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public struct CoroutineMethodBuilder<T>
{
    private Coroutine<T>? _coroutine;

    /// <summary>Called by compiler-generated code (the async method builder pattern); not for user code.</summary>
    public static CoroutineMethodBuilder<T> Create() => default;

    /// <summary>Called by compiler-generated code (the async method builder pattern); not for user code.</summary>
    public readonly Coroutine<T> Task => _coroutine!;

    /// <summary>Called by compiler-generated code (the async method builder pattern); not for user code.</summary>
    public void Start<TStateMachine>(ref TStateMachine stateMachine)
        where TStateMachine : IAsyncStateMachine
    {
        var box = new CoroutineBox<T, TStateMachine>();
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

/// <summary>The async method builder behind <see cref="Coroutine"/>.</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public struct CoroutineMethodBuilder
{
    private Coroutine? _coroutine;

    /// <summary>Called by compiler-generated code (the async method builder pattern); not for user code.</summary>
    public static CoroutineMethodBuilder Create() => default;

    /// <summary>Called by compiler-generated code (the async method builder pattern); not for user code.</summary>
    public readonly Coroutine Task => _coroutine!;

    /// <summary>Called by compiler-generated code (the async method builder pattern); not for user code.</summary>
    public void Start<TStateMachine>(ref TStateMachine stateMachine)
        where TStateMachine : IAsyncStateMachine
    {
        var box = new VoidCoroutineBox<TStateMachine>();
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

/// <summary>What every builder does when a coroutine suspends. The builders spell out the two
/// calls themselves: one more helper holding both cost 5–8% on task ping-pong and the echo path
/// (the JIT stopped inlining the loop-awaitable test through it).</summary>
internal static class Suspension
{
    /// <summary>True when <paramref name="awaiter"/> is one of SimLoop's and the task now waits on its target.</summary>
    public static bool OnLoopAwaitable<TAwaiter>(CoroutineBase coroutine, ref TAwaiter awaiter)
    {
        coroutine.MarkSuspended();
        // For a struct awaiter the JIT folds this test to a constant: no boxing either way.
        if (awaiter is not ILoopAwaiter)
            return false;
        AwaiterLayout.TargetOf(ref awaiter).SuspendTask(coroutine.Task!, coroutine);
        return true;
    }

    public static Action OnForeignAwaitable(CoroutineBase coroutine) => coroutine.Task!.SuspendOnForeign(coroutine);
}

using System.Runtime.CompilerServices;

namespace Sim.Core;

/// <summary>A coroutine and its compiler-generated state machine, in one allocation.</summary>
internal sealed class CoroutineBox<T, TStateMachine> : Coroutine<T>
    where TStateMachine : IAsyncStateMachine
{
    public TStateMachine StateMachine = default!;

    public override string Name => MethodNameOf(typeof(TStateMachine));

    private protected override void MoveNext() => StateMachine.MoveNext();
}

/// <summary>The same for a coroutine without a result.</summary>
internal sealed class VoidCoroutineBox<TStateMachine> : Coroutine
    where TStateMachine : IAsyncStateMachine
{
    public TStateMachine StateMachine = default!;

    public override string Name => MethodNameOf(typeof(TStateMachine));

    private protected override void MoveNext() => StateMachine.MoveNext();
}

/// <summary>
/// A coroutine box of <see cref="PoolingCoroutineMethodBuilder{T}"/>: once the coroutine that
/// awaited it inline read its result, it goes back to this thread's spare slot for the method,
/// and the method's next call on this thread reuses it.
/// </summary>
internal sealed class PooledCoroutineBox<T, TStateMachine> : Coroutine<T>
    where TStateMachine : IAsyncStateMachine
{
    [ThreadStatic]
    private static PooledCoroutineBox<T, TStateMachine>? t_spare;

    public TStateMachine StateMachine = default!;

    public override string Name => MethodNameOf(typeof(TStateMachine));

    public static PooledCoroutineBox<T, TStateMachine> Rent()
    {
        if (t_spare is not { } spare || !EventLoop.PoolsCoroutinesOnThisThread)
            return new();
        t_spare = null;
        spare.Reopen();
        return spare;
    }

    private protected override void MoveNext() => StateMachine.MoveNext();

    private protected override void OnResultReadByParent()
    {
        if (!EventLoop.PoolsCoroutinesOnThisThread)
            return;
        Release();
        // The finished state machine's fields (the method's locals) are let go of too.
        StateMachine = default!;
        t_spare = this;
    }
}

/// <summary>The same for a coroutine without a result (<see cref="PoolingCoroutineMethodBuilder"/>).</summary>
internal sealed class PooledVoidCoroutineBox<TStateMachine> : Coroutine
    where TStateMachine : IAsyncStateMachine
{
    [ThreadStatic]
    private static PooledVoidCoroutineBox<TStateMachine>? t_spare;

    public TStateMachine StateMachine = default!;

    public override string Name => MethodNameOf(typeof(TStateMachine));

    public static PooledVoidCoroutineBox<TStateMachine> Rent()
    {
        if (t_spare is not { } spare || !EventLoop.PoolsCoroutinesOnThisThread)
            return new();
        t_spare = null;
        spare.Reopen();
        return spare;
    }

    private protected override void MoveNext() => StateMachine.MoveNext();

    private protected override void OnResultReadByParent()
    {
        if (!EventLoop.PoolsCoroutinesOnThisThread)
            return;
        Release();
        StateMachine = default!;
        t_spare = this;
    }
}

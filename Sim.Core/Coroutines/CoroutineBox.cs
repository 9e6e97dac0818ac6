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
/// awaited it inline read its result, it goes back to this thread's spare for the method
/// (<see cref="CoroutinePool{TBox}"/>), and the method's next call on this thread reuses it.
/// </summary>
internal sealed class PooledCoroutineBox<T, TStateMachine> : Coroutine<T>
    where TStateMachine : IAsyncStateMachine
{
    public TStateMachine StateMachine = default!;

    public override string Name => MethodNameOf(typeof(TStateMachine));

    private protected override void MoveNext() => StateMachine.MoveNext();

    private protected override void OnResultReadByParent()
    {
        // The finished state machine's fields (the method's locals) are let go of first.
        StateMachine = default!;
        CoroutinePool<PooledCoroutineBox<T, TStateMachine>>.Return(this);
    }
}

/// <summary>The same for a coroutine without a result (<see cref="PoolingCoroutineMethodBuilder"/>).</summary>
internal sealed class PooledVoidCoroutineBox<TStateMachine> : Coroutine
    where TStateMachine : IAsyncStateMachine
{
    public TStateMachine StateMachine = default!;

    public override string Name => MethodNameOf(typeof(TStateMachine));

    private protected override void MoveNext() => StateMachine.MoveNext();

    private protected override void OnResultReadByParent()
    {
        StateMachine = default!;
        CoroutinePool<PooledVoidCoroutineBox<TStateMachine>>.Return(this);
    }
}

/// <summary>
/// This thread's one spare coroutine box of a pooled method: kept when the coroutine's parent
/// read its result, handed out at the method's next call, neither while the loop running on
/// the thread is in debug mode.
/// </summary>
internal static class CoroutinePool<TBox> where TBox : CoroutineBase, new()
{
    [ThreadStatic]
    private static TBox? t_spare;

    public static TBox Rent()
    {
        if (t_spare is not { } spare || !EventLoop.PoolsCoroutinesOnThisThread)
            return new();
        t_spare = null;
        spare.Reopen();
        return spare;
    }

    public static void Return(TBox box)
    {
        if (!EventLoop.PoolsCoroutinesOnThisThread)
            return;
        box.Release();
        t_spare = box;
    }
}

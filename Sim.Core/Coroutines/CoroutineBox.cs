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

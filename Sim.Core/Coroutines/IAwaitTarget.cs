using System.Runtime.CompilerServices;

namespace Sim.Core;

/// <summary>Something a coroutine can suspend a task on: a future, a child coroutine, a bare yield.</summary>
internal interface IAwaitTarget
{
    /// <summary>The coroutine <paramref name="resume"/>, running in <paramref name="task"/>, suspends on this target.</summary>
    void SuspendTask(ITaskDriver task, CoroutineBase resume);
}

/// <summary>
/// Marks SimLoop's awaiter structs. Each has exactly one field, an <see cref="IAwaitTarget"/>,
/// so the coroutine builder can reach the target through <see cref="AwaiterLayout"/> without
/// boxing the awaiter (the runtime's own builders use the same trick for TaskAwaiter).
/// </summary>
internal interface ILoopAwaiter;

/// <summary>The shared layout of every <see cref="ILoopAwaiter"/>.</summary>
internal struct AwaiterLayout
{
    public IAwaitTarget Target;

    public static IAwaitTarget TargetOf<TAwaiter>(ref TAwaiter awaiter) =>
        Unsafe.As<TAwaiter, AwaiterLayout>(ref awaiter).Target;
}

using System.Runtime.CompilerServices;
using System.Runtime.ExceptionServices;

namespace Sim.Core;

/// <summary>A bare yield (<c>await Asyncio.Yield()</c>, what <c>Sleep(0)</c> does): the task
/// gives the loop exactly one iteration.</summary>
public readonly struct YieldAwaitable
{
    /// <summary>The awaiter (the compiler's await pattern).</summary>
    public YieldAwaiter GetAwaiter() => new(YieldTarget.Instance);
}

/// <summary>The awaiter of <see cref="YieldAwaitable"/>.</summary>
public readonly struct YieldAwaiter : ICriticalNotifyCompletion, ILoopAwaiter
{
    // Layout contract of ILoopAwaiter: exactly one field, an IAwaitTarget.
    private readonly IAwaitTarget _target;

    internal YieldAwaiter(IAwaitTarget target) => _target = target;

    /// <summary>Whether the await can go on without suspending (the compiler's await pattern).</summary>
    public bool IsCompleted => false;

    /// <summary>The awaited result, or its exception thrown (the compiler's await pattern).</summary>
    public void GetResult()
    {
        if (EventLoop.SteppingTask is { } task)
        {
            if (task.TakeThrowOnResume() is { } pending)
                ExceptionDispatchInfo.Throw(pending);
        }
        else if (EventLoop.RunningLoopOnThisThread is null)
        {
            throw new InvalidOperationException(
                "Asyncio.Yield() was awaited outside a running event loop; run the awaiting code with loop.RunUntilComplete or loop.CreateTask.");
        }
    }

    /// <inheritdoc/>
    public void OnCompleted(Action continuation)
    {
        if (EventLoop.RunningLoopOnThisThread is { } loop)
        {
            loop.CallSoon(continuation);
            return;
        }
        // Thrown from here, the error would reach the .NET async builder, which rethrows it on
        // the thread pool and ends the process. The await fails instead, at once, in GetResult.
        continuation();
    }

    /// <inheritdoc/>
    public void UnsafeOnCompleted(Action continuation) => OnCompleted(continuation);
}

internal sealed class YieldTarget : IAwaitTarget
{
    public static readonly YieldTarget Instance = new();

    public void SuspendTask(ITaskDriver task, CoroutineBase resume) => task.SuspendOnYield(resume);
}

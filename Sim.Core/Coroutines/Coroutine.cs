using System.Runtime.CompilerServices;

namespace Sim.Core;

/// <summary>
/// The return type of an asyncio-style <c>async</c> method producing a <typeparamref name="T"/>.
/// Lazy: <c>await</c> it (it runs inline in the awaiting task) or pass it to
/// <see cref="EventLoop.CreateTask{T}"/>.
/// </summary>
[AsyncMethodBuilder(typeof(CoroutineMethodBuilder<>))]
public abstract class Coroutine<T> : CoroutineBase
{
    private T? _result;

    private protected Coroutine() { }

    private protected Coroutine(EventLoop? runningLoop) : base(runningLoop) { }

    /// <summary>Lets another coroutine (or .NET async code on the loop's thread) await this one.</summary>
    public CoroutineAwaiter<T> GetAwaiter() => new(this);

    internal void SetResult(T result)
    {
        _result = result;
        Complete();
    }

    /// <summary>Keeps the result of a hand-written coroutine that completes a little later (with <c>Complete</c>).</summary>
    private protected void StoreResult(T result) => _result = result;

    internal T GetResult()
    {
        ThrowIfFailed();
        var result = _result!;
        if (Task is null)
        {
            // Finished at its await: the primitive may keep it (and must not keep the result alive).
            _result = default;
            OnResultReadAtAwait();
        }
        else if (AwaitedInline)
        {
            _result = default;
            OnResultReadByParent();
        }
        return result;
    }

    private protected override Future CreateTaskOn(EventLoop loop) => loop.CreateTask(this);
}

/// <summary>The return type of an asyncio-style <c>async</c> method with no result.</summary>
[AsyncMethodBuilder(typeof(CoroutineMethodBuilder))]
public abstract class Coroutine : Coroutine<Unit>
{
    private protected Coroutine() { }

    private protected Coroutine(EventLoop? runningLoop) : base(runningLoop) { }
}

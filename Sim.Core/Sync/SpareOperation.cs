namespace Sim.Core;

/// <summary>
/// The one finished operation object a primitive keeps for the next call of that operation, so
/// that a steady stream of operations that need no wait (a get from a queue holding items, an
/// uncontended acquire) allocates nothing: the same pooling .NET's sockets do for their awaitable
/// operations.
/// </summary>
/// <remarks>
/// An operation comes back here once it finished at its await's fast path and the awaiter read
/// its result (<see cref="CoroutineBase"/>'s <c>OnResultReadAtAwait</c>): nothing refers to it
/// then but the awaiting method's spent variable. The contract is then ValueTask's: await an
/// operation once. It stays claimed while it waits here, so a second <c>await</c> of that
/// variable raises "cannot reuse already awaited coroutine" until the primitive's next call of
/// that operation, which hands the same object out again: after that, the stale await would run
/// the new call's operation (and the new caller's await raise). A loop in debug mode gets a new
/// object per call (it tracks each coroutine it sees created), so there a second await always raises.
/// </remarks>
internal struct SpareOperation<TOperation> where TOperation : CoroutineBase
{
    private TOperation? _spare;

    /// <summary>Keeps <paramref name="operation"/>, whose result was just read, for the next call.</summary>
    public void Keep(TOperation operation) => _spare = operation;

    /// <summary>The kept operation made new again, or null: nothing kept, or
    /// <paramref name="primitive"/>'s loop (or, before it is bound to one, this thread's) is not running or is in debug mode.</summary>
    public TOperation? Take(LoopBound primitive)
    {
        if (_spare is not { } spare)
            return null;
        // A primitive is bound to its loop once something waited on it; until then, the loop
        // running on this thread is the one that would see the coroutine created.
        if ((primitive.RunningBoundLoop ?? EventLoop.RunningLoopOnThisThread) is not { Debug: false })
            return null;
        _spare = null;
        spare.Renew();
        return spare;
    }
}

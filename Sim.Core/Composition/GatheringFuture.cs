namespace Sim.Core;

/// <summary>
/// The future <see cref="Asyncio.Gather(object[])"/> returns (asyncio's <c>_GatheringFuture</c>):
/// it finishes with the children's results in argument order, or with the first failure; a
/// cancelled child counts as a failure with its CancelledError. <see cref="Cancel"/> cancels the
/// children instead of the future itself, so the future ends only once they have all finished.
/// </summary>
internal sealed class GatheringFuture<TResult> : Future<TResult>
{
    private readonly Future[] _children;
    private int _distinct;
    private readonly bool _returnExceptions;
    private readonly Func<Future[], bool, TResult> _collect;
    private int _finished;
    private bool _cancelRequested;

    /// <param name="loop">The loop of every child.</param>
    /// <param name="children">One future per argument, in argument order; an argument given twice
    /// appears twice. Filled in by the caller as the children are made.</param>
    /// <param name="returnExceptions">Failures take the place of results instead of finishing the future.</param>
    /// <param name="collect">Builds the result from the children once all are done.</param>
    public GatheringFuture(EventLoop loop, Future[] children, bool returnExceptions, Func<Future[], bool, TResult> collect)
        : base(loop)
    {
        _children = children;
        _returnExceptions = returnExceptions;
        _collect = collect;
    }

    /// <summary>Counts one more distinct child (they are added as they are created).</summary>
    public void AddChild() => _distinct++;

    /// <summary>The callback each distinct child gets.</summary>
    public void OnChildDone(Future child)
    {
        _finished++;
        if (Done)
            return;
        if (!_returnExceptions)
        {
            if (child.Cancelled)
            {
                SetException(child.MakeCancelledError());
                return;
            }
            if (child.Exception() is { } error)
            {
                SetException(error);
                return;
            }
        }
        if (_finished < _distinct)
            return;
        var results = _collect(_children, _returnExceptions);
        // A cancelled gather ends with a CancelledError even when every child caught its
        // cancellation and returned (asyncio's issue 32684).
        if (_cancelRequested)
            SetException(child.MakeCancelledError());
        else
            TrySetResultCore(results);
    }

    /// <summary>Cancels every child still running; the future then ends with a CancelledError once
    /// they are done. True if any child accepted the request.</summary>
    public override bool Cancel(string? message = null)
    {
        if (Done)
            return false;
        var accepted = false;
        foreach (var child in _children)
        {
            if (child.Cancel(message))
                accepted = true;
        }
        if (accepted)
            _cancelRequested = true;
        return accepted;
    }

    /// <summary>A child's outcome as gather reports it with <c>returnExceptions</c>: its
    /// exception, a new CancelledError for a cancelled child, or its result (null for none).</summary>
    public static object? OutcomeOf(Future child)
    {
        if (child.Cancelled)
            return new CancelledError(child.CancelMessageGiven ?? "");
        return child.Exception() ?? ResultOf(child);
    }

    /// <summary>A finished child's result as an object; null for a coroutine without a result.</summary>
    public static object? ResultOf(Future child) => child.ResultObject() is Unit ? null : child.ResultObject();
}

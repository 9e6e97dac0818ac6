using System.Runtime.ExceptionServices;

namespace Sim.Core;

/// <summary>
/// Tasks that live and die together (asyncio's <c>TaskGroup</c>):
/// <code>
/// await using (var tg = new TaskGroup())
/// {
///     tg.CreateTask(Fetch("a"));
///     tg.CreateTask(Fetch("b"));
/// }   // waits here for every child
/// </code>
/// The end of the block waits for every child. The first child to fail cancels the others and
/// the block itself (the parent task, which the group uncancels at the end); once all children
/// have finished the group raises an <see cref="ExceptionGroup"/> of the failures, in the order
/// they happened. A cancellation of the parent from outside cancels the children and, when no
/// child failed, leaves as the parent's CancelledError. Once shutting down (or finished) the
/// group refuses new tasks.
/// </summary>
/// <remarks>
/// <para>The group is entered when it is made, in the running task. Its end,
/// <see cref="DisposeAsync"/>, returns a <see cref="Coroutine"/> rather than a
/// <see cref="ValueTask"/>: C# takes a public <c>DisposeAsync()</c> returning any awaitable for
/// <c>await using</c>, and awaiting a coroutine inside a task runs inline, so the wait for the
/// children is an ordinary SimLoop await, at which the parent can be cancelled, with no extra
/// loop iteration. (A <see cref="ValueTask"/> would be a foreign awaitable: one more iteration,
/// and no cancellation delivered there.) The type therefore does not implement
/// <see cref="IAsyncDisposable"/>.</para>
/// <para>C#'s <c>await using</c> does not tell <see cref="DisposeAsync"/> which exception is
/// leaving the block. A CancelledError is inferred from the parent's cancel count, asyncio's own
/// contract (more requests outstanding than when the group was made means the block is being
/// cancelled). Any other exception thrown by the block itself is invisible there: the children
/// are then waited for, not cancelled, and the exception leaves after them (replaced by the
/// ExceptionGroup if a child fails). For asyncio's exact behaviour — the block's error cancels
/// the children and joins the ExceptionGroup — run the block with <see cref="Run(Func{TaskGroup, Coroutine})"/>.</para>
/// </remarks>
public sealed class TaskGroup
{
    private readonly EventLoop _loop;
    private readonly ILoopTask _parent;
    private readonly int _parentCancellingOnEntry;
    // Children not yet done, in creation order: aborting cancels them in that order.
    private readonly LinkedList<Future> _tasks = new();
    private readonly List<Exception> _errors = [];
    private bool _exiting;
    private bool _exited;
    private bool _aborting;
    private bool _parentCancelRequested;
    private Future<bool>? _onCompleted;

    /// <summary>Enters a group whose parent is the running task.</summary>
    /// <exception cref="InvalidOperationException">No loop is running, or no task is.</exception>
    public TaskGroup()
    {
        _loop = Asyncio.GetRunningLoop();
        _parent = _loop.CurrentTask ?? throw new InvalidOperationException($"TaskGroup {this} cannot determine the parent task");
        _parentCancellingOnEntry = _parent.Cancelling();
    }

    /// <summary>
    /// Runs <paramref name="body"/> in a new group and leaves it the way asyncio's
    /// <c>async with TaskGroup()</c> does, knowing how the body ended: an exception from the body
    /// cancels the children and joins the <see cref="ExceptionGroup"/>.
    /// </summary>
    public static Coroutine Run(Func<TaskGroup, Coroutine> body)
    {
        ArgumentNullException.ThrowIfNull(body);
        return RunWithoutResult(body);
    }

    /// <summary>Runs <paramref name="body"/> in a new group and returns its result once every
    /// child has finished; see <see cref="Run(Func{TaskGroup, Coroutine})"/>.</summary>
    public static Coroutine<T> Run<T>(Func<TaskGroup, Coroutine<T>> body)
    {
        ArgumentNullException.ThrowIfNull(body);
        return RunCore(body);
    }

    /// <summary>Starts <paramref name="coroutine"/> as a child task of the group.</summary>
    /// <exception cref="InvalidOperationException">The group is shutting down or has finished.</exception>
    public LoopTask<T> CreateTask<T>(Coroutine<T> coroutine, string? name = null)
    {
        ArgumentNullException.ThrowIfNull(coroutine);
        if (_exiting && _tasks.Count == 0)
            throw new InvalidOperationException($"TaskGroup {this} is finished");
        if (_aborting)
            throw new InvalidOperationException($"TaskGroup {this} is shutting down");
        // Named after creation, as asyncio 3.11 does: an unnamed default is numbered either way.
        var task = _loop.CreateTask(coroutine);
        if (name is not null)
            task.Name = name;
        var node = _tasks.AddLast(task);
        ((Future)task).AddDoneCallback(finished => OnTaskDone(finished, node));
        return task;
    }

    /// <summary>
    /// Ends the group (the end of <c>await using</c>): waits for every child, cancelling them
    /// first if the block is being cancelled or a child failed, then raises the
    /// <see cref="ExceptionGroup"/> if any child failed. Idempotent. See the remarks on the class
    /// for why this returns a <see cref="Coroutine"/>.
    /// </summary>
    public Coroutine DisposeAsync()
    {
        var leavingWithCancellation = _parent.Cancelling() > _parentCancellingOnEntry;
        return ExitAsync(error: null, leavingWithCancellation);
    }

    /// <summary>Python's repr: <c>&lt;TaskGroup tasks=2 errors=1 cancelling&gt;</c>.</summary>
    public override string ToString()
    {
        var info = new List<string>();
        if (_tasks.Count > 0)
            info.Add($"tasks={_tasks.Count}");
        if (_errors.Count > 0)
            info.Add($"errors={_errors.Count}");
        if (_aborting)
            info.Add("cancelling");
        else if (_parent is not null)
            info.Add("entered");
        return info.Count == 0 ? "<TaskGroup>" : $"<TaskGroup {string.Join(' ', info)}>";
    }

    private static async Coroutine RunWithoutResult(Func<TaskGroup, Coroutine> body) =>
        await RunCore<Unit>(async group =>
        {
            await body(group);
            return Unit.Value;
        });

    private static async Coroutine<T> RunCore<T>(Func<TaskGroup, Coroutine<T>> body)
    {
        var group = new TaskGroup();
        T result;
        try
        {
            result = await body(group);
        }
        catch (Exception error)
        {
            await group.ExitAsync(error, error is CancelledError);
            throw;
        }
        await group.ExitAsync(error: null, leavingWithCancellation: false);
        return result;
    }

    /// <summary>
    /// asyncio's <c>__aexit__</c>. <paramref name="leavingWithCancellation"/> says whether the block
    /// leaves with a CancelledError (<paramref name="error"/> when known: null means it is in
    /// flight in the caller, who rethrows it when this returns). Returning normally lets the
    /// block's exception, if any, go on.
    /// </summary>
    private async Coroutine ExitAsync(Exception? error, bool leavingWithCancellation)
    {
        if (_exited)
            return;
        _exiting = true;
        var propagateCancellation = leavingWithCancellation;
        var cancellation = error as CancelledError;
        // With await using, a CancelledError leaving the block is known only from the cancel count.
        var cancellationInFlight = error is null && leavingWithCancellation;
        if ((error is not null || leavingWithCancellation) && !_aborting)
            Abort();
        // A loop: the wait can be cancelled again and again while the parent is being cancelled.
        while (_tasks.Count > 0)
        {
            _onCompleted ??= _loop.CreateFuture<bool>();
            try
            {
                await _onCompleted;
            }
            catch (CancelledError cancelled)
            {
                if (!_aborting)
                {
                    // The parent is cancelled after the block ended: that cancellation leaves.
                    propagateCancellation = true;
                    cancellation = cancelled;
                    Abort();
                }
                else if (cancellationInFlight)
                {
                    // Raised for sure, where the inferred one may have been swallowed by the block.
                    cancellation ??= cancelled;
                }
            }
            _onCompleted = null;
        }
        _exited = true;
        // The group's own cancel of its parent is taken back only now, once no child can fail
        // any more (CPython 3.13, gh-116720: a child failing during the wait above would
        // otherwise leave the request behind, and an enclosing group take it for a cancellation).
        if (_parentCancelRequested && _parent.Uncancel() == 0)
        {
            // No cancellation is left but the group's own: the block's CancelledError was ours.
            propagateCancellation = false;
        }
        // A cancellation leaves only when no child failed: failures have priority.
        if (propagateCancellation && _errors.Count == 0)
        {
            if (cancellation is not null && !ReferenceEquals(cancellation, error))
                ExceptionDispatchInfo.Throw(cancellation);
            return;
        }
        if (error is not null and not CancelledError)
            _errors.Add(error);
        if (_errors.Count > 0)
        {
            // The parent is being cancelled from outside as well: un-cancel and cancel it again,
            // which keeps its count and makes the cancellation raise at its next await (3.13).
            if (_parent.Cancelling() > 0)
            {
                _parent.Uncancel();
                _parent.Cancel();
            }
            throw new ExceptionGroup("unhandled errors in a TaskGroup", [.. _errors]);
        }
    }

    private void Abort()
    {
        _aborting = true;
        foreach (var task in _tasks)
        {
            if (!task.Done)
                task.Cancel();
        }
    }

    private void OnTaskDone(Future task, LinkedListNode<Future> node)
    {
        _tasks.Remove(node);
        if (_onCompleted is { Done: false } completed && _tasks.Count == 0)
            completed.SetResult(true);
        if (task.Cancelled || task.Exception() is not { } error)
            return;
        _errors.Add(error);
        if (_parent.Done)
        {
            _loop.CallExceptionHandler(new ExceptionContext(
                $"Task {task} has errored out but its parent task {_parent} is already completed", error)
            {
                Future = task,
                Task = task as ILoopTask,
            });
            return;
        }
        if (!_aborting && !_parentCancelRequested)
        {
            // Cancel the block too; the exit uncancels the parent.
            Abort();
            _parentCancelRequested = true;
            _parent.Cancel();
        }
    }
}

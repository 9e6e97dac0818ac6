using System.Diagnostics;
using System.Runtime.ExceptionServices;

namespace Sim.Core;

/// <summary>
/// What every coroutine shares, whatever its result type. A coroutine is lazy: nothing runs
/// until it is awaited (then it runs inline, in the awaiting task, like Python's
/// <c>await coro</c>) or wrapped in a task. It can be awaited, or wrapped, once.
/// </summary>
/// <remarks>
/// <c>await coroutine</c> completes at <c>IsCompleted</c> only for a hand-written operation that
/// can finish at once without waiting (<see cref="CompletesAtAwait"/>: a get from a queue that
/// holds an item, an uncontended acquire), which is not a suspension point, as in CPython where
/// such an <c>await</c> never yields to the loop. Otherwise the child starts only when the
/// awaiter's owner asks to be continued. A SimLoop coroutine's builder then runs it inline in the
/// same task (<see cref="IAwaitTarget.SuspendTask"/>); plain .NET async code (an async iterator,
/// a Task-returning method) gets it wrapped in a task of its own (<see cref="AwaitFromForeign"/>),
/// so the two never share a task's suspension point. A child that finishes without suspending
/// resumes its parent through <see cref="Run"/>'s loop, not by recursion, so a long loop of
/// such awaits runs in constant stack.
/// </remarks>
public abstract class CoroutineBase : IAwaitTarget
{
    private bool _claimed;
    private bool _inMoveNext;
    private bool _resumeAgain;
    private bool _awaitedInline;
    private CoroutineBase? _continuation;
    private CoroutineBase? _awaiting;

    // What few coroutines need (a failure, a plain .NET await), kept out of every coroutine's fields.
    private Rare? _rare;

    private protected CoroutineBase() => EventLoop.OnCoroutineCreated(this);

    /// <summary>For a coroutine whose creator already knows the loop running on this thread (a
    /// primitive's bound loop while it runs): no need to ask the thread, unless that loop is in
    /// debug mode and tracks coroutines never awaited.</summary>
    private protected CoroutineBase(EventLoop? runningLoop)
    {
        if (runningLoop is null || runningLoop.Debug)
            EventLoop.OnCoroutineCreated(this);
    }

    /// <summary>The async method's name.</summary>
    public abstract string Name { get; }

    internal bool HasStarted => Status != CoroutineStatus.Created;

    /// <summary>True once the coroutine was awaited or wrapped in a task.</summary>
    internal bool IsClaimed => _claimed;

    internal bool IsCompleted => Status == CoroutineStatus.Completed;

    internal CoroutineStatus Status { get; private set; }

    /// <summary>The task this coroutine runs in, once it has been awaited or wrapped.</summary>
    internal ITaskDriver? Task { get; private set; }

    private protected ExceptionDispatchInfo? Error => _rare?.Error;

    /// <summary>Binds the coroutine to the task that will drive it; a coroutine is driven once.</summary>
    internal void Claim(ITaskDriver task)
    {
        if (_claimed)
            throw new InvalidOperationException($"cannot reuse already awaited coroutine '{Name}'");
        _claimed = true;
        Task = task;
    }

    /// <summary>Binds a coroutine that finished at its await's fast path (<see cref="CompletesAtAwait"/>):
    /// it is awaited, so it cannot be awaited or wrapped again.</summary>
    private protected void ClaimFinishedAtAwait() => _claimed = true;

    /// <summary>True for a coroutine that finished at its await's fast path: claimed, completed,
    /// and never bound to a task.</summary>
    private protected bool FinishedAtAwait => Status == CoroutineStatus.Completed && Task is null && _claimed;

    /// <summary>
    /// The awaiter just read the result of an operation that finished at its await's fast path
    /// (<see cref="CompletesAtAwait"/>): no task, no parent and no line refers to the coroutine
    /// any more (its result is cleared already). A primitive may keep it to hand out again
    /// (<see cref="Renew"/>, a <c>SpareOperation</c>). Until then it
    /// stays claimed, so awaiting it again still raises (see <c>SpareOperation</c> for after).
    /// </summary>
    private protected virtual void OnResultReadAtAwait() { }

    /// <summary>True once a coroutine of the same task awaited this one (it ran inline, see
    /// <see cref="IAwaitTarget.SuspendTask"/>): its result is then read by that awaiter alone.</summary>
    private protected bool AwaitedInline => _awaitedInline;

    /// <summary>
    /// The coroutine that awaited this one inline just read its result (<see cref="AwaitedInline"/>):
    /// no task, parent or line refers to it any more, only the awaiting method's spent variable. A
    /// pooled coroutine goes back to its pool here (see <c>PoolingCoroutineMethodBuilder</c>).
    /// </summary>
    private protected virtual void OnResultReadByParent() { }

    /// <summary>Lets go of what a finished coroutine whose result was read still refers to (its
    /// task, the coroutine it last awaited, what a plain .NET await outside a loop left), so a
    /// pooled one keeps nothing alive and starts its next call clean.</summary>
    internal void Release()
    {
        Debug.Assert(Status == CoroutineStatus.Completed && _continuation is null && _rare?.Error is null, "only a coroutine finished with a result can be released");
        Task = null;
        _awaiting = null;
        _rare = null;
    }

    /// <summary>Makes a released coroutine (<see cref="Release"/>) a new one, not started and
    /// not claimed, as its pool hands it out again.</summary>
    internal void Reopen()
    {
        _claimed = false;
        _awaitedInline = false;
        Status = CoroutineStatus.Created;
        EventLoop.OnCoroutineCreated(this);
    }

    /// <summary>Makes a coroutine that finished at its await's fast path, and whose result was
    /// read, a new one: not started, not claimed. Only the primitive that made it calls this, to
    /// hand it out for its next call instead of allocating.</summary>
    internal void Renew()
    {
        Debug.Assert(FinishedAtAwait && _continuation is null && _rare is null, "only an operation finished at its await can be renewed");
        _claimed = false;
        Status = CoroutineStatus.Created;
    }

    /// <summary>Runs the coroutine until its next suspension or its end.</summary>
    internal void Run()
    {
        do
        {
            _resumeAgain = false;
            Status = CoroutineStatus.Running;
            _awaiting = null;
            _inMoveNext = true;
            MoveNext();
            _inMoveNext = false;
        }
        while (_resumeAgain);
    }

    internal void MarkSuspended() => Status = CoroutineStatus.Suspended;

    /// <summary>The chain of coroutines from this one to the innermost suspended one.</summary>
    internal IReadOnlyList<string> Stack()
    {
        var names = new List<string>();
        for (var coroutine = this; coroutine is not null; coroutine = coroutine._awaiting)
            names.Add(coroutine.Name);
        return names;
    }

    private protected abstract void MoveNext();

    /// <summary>Wraps the coroutine in a task of its own result type (for foreign awaiters).</summary>
    private protected abstract Future CreateTaskOn(EventLoop loop);

    /// <summary>Wraps the coroutine in a task on <paramref name="loop"/> without knowing its result
    /// type (<c>Gather</c> of mixed awaitables).</summary>
    internal Future StartTaskOn(EventLoop loop) => CreateTaskOn(loop);

    internal void SetException(Exception exception)
    {
        (_rare ??= new Rare()).Error = ExceptionDispatchInfo.Capture(exception);
        Complete();
    }

    private protected void Complete()
    {
        Status = CoroutineStatus.Completed;
        if (_continuation is not { } parent)
            return;
        _continuation = null;
        // A parent still inside its MoveNext (the child finished without suspending) resumes
        // when that MoveNext returns, in its Run loop; otherwise it resumes now.
        if (parent._inMoveNext)
            parent._resumeAgain = true;
        else
            parent.Run();
    }

    /// <summary>Start of <c>await coroutine</c>: complete only when the operation finished at
    /// once (see the remarks); a coroutine already awaited or wrapped cannot be awaited again.</summary>
    internal bool BeginAwait()
    {
        if (_claimed)
            throw new InvalidOperationException($"cannot reuse already awaited coroutine '{Name}'");
        return CompletesAtAwait();
    }

    /// <summary>
    /// The synchronous fast path of a hand-written operation: when it can finish without waiting,
    /// it does so now, inside the task being stepped, and returns true (the coroutine is then
    /// claimed by that task and completed, so the awaiter reads its result at once). False leaves
    /// everything as it was: the await goes the ordinary way. Compiler-built coroutines never
    /// take it: their body runs only when the awaiter's owner asks to be continued.
    /// </summary>
    private protected virtual bool CompletesAtAwait() => false;

    /// <summary>A plain .NET async method awaits the coroutine: it runs as a task of the running loop.</summary>
    internal void AwaitFromForeign(Action continuation)
    {
        if (EventLoop.RunningLoopOnThisThread is not { } loop)
        {
            // Thrown from here, the error would reach the .NET async builder, which rethrows it
            // on the thread pool and ends the process. The await fails instead, at once: the
            // awaiting method sees the error where it awaited (its Task faults).
            (_rare ??= new Rare()).ForeignAwaitError = new InvalidOperationException(
                $"Coroutine '{Name}' was awaited outside a running event loop; run it with loop.RunUntilComplete or loop.CreateTask.");
            continuation();
            return;
        }
        var wrapper = CreateTaskOn(loop);
        (_rare ??= new Rare()).Wrapper = wrapper;
        wrapper.AddDoneCallbackCore(Callback.Of(continuation));
    }

    /// <summary>Throws the coroutine's failure; for a foreign awaiter, also the cancellation of its wrapping task.</summary>
    private protected void ThrowIfFailed()
    {
        if (Status != CoroutineStatus.Completed)
        {
            if (_rare?.Wrapper is { Cancelled: true } wrapper)
                throw wrapper.MakeCancelledError();
            if (_rare?.ForeignAwaitError is { } foreignAwaitError)
                throw foreignAwaitError;
            throw new InvalidStateException($"Coroutine '{Name}' has not finished.");
        }
        Error?.Throw();
    }

    /// <summary>A coroutine of <paramref name="task"/> awaits this one: it runs now, inline.</summary>
    void IAwaitTarget.SuspendTask(ITaskDriver task, CoroutineBase resume)
    {
        Claim(task);
        _awaitedInline = true;
        _continuation = resume;
        resume._awaiting = this;
        Run();
    }

    /// <summary>asyncio names coroutines after their function: the compiler's <c>&lt;Main&gt;d__3</c> becomes
    /// <c>Main</c>, and a local function's <c>&lt;&lt;Main&gt;g__Child|3_0&gt;d</c> becomes <c>Child</c>.</summary>
    private protected static string MethodNameOf(Type stateMachineType)
    {
        var name = stateMachineType.Name;
        const string localFunctionMarker = ">g__";
        var local = name.IndexOf(localFunctionMarker, StringComparison.Ordinal);
        if (name.StartsWith("<<", StringComparison.Ordinal) && local > 0)
        {
            var start = local + localFunctionMarker.Length;
            var end = name.IndexOf('|', start);
            if (end > start)
                return name[start..end];
        }
        var close = name.IndexOf('>', StringComparison.Ordinal);
        return name.StartsWith('<') && close > 1 ? name[1..close] : name;
    }

    /// <summary>The state few coroutines need: the failure, and what a plain .NET await left
    /// behind (the task it wrapped the coroutine in, or why it could not).</summary>
    private sealed class Rare
    {
        public ExceptionDispatchInfo? Error;
        public Future? Wrapper;
        public InvalidOperationException? ForeignAwaitError;
    }
}

internal enum CoroutineStatus : byte
{
    Created,
    Running,
    Suspended,
    Completed,
}

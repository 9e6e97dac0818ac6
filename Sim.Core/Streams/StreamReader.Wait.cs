using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Runtime.ExceptionServices;

namespace Sim.Core;

// How a read waits for data: asyncio's reader awaits a fresh future; here the waiting task waits
// on a Wait object the reader reuses, which behaves as that future would (FeedData and FeedEof
// wake the task through CallSoon, SetException raises at the await, cancelling the task raises
// CancelledError there), without a future, its callback or a coroutine per wait.
public sealed partial class StreamReader
{
    /// <summary>Waits until <see cref="FeedData"/> or <see cref="FeedEof"/>; resumes a paused
    /// transport first, or a read longer than the pause threshold would wait for ever. With
    /// <paramref name="readIntoBuffer"/>, the data fed is copied straight into it and the await
    /// returns how many bytes were (see <see cref="ReadInto"/>); otherwise it returns 0.
    /// <paramref name="readCount"/> is the n of a waiting <see cref="Read(int)"/> (0 for the other reads).</summary>
    private WaitAwaiter WaitForData(string caller, Memory<byte> readIntoBuffer = default, int readCount = 0)
    {
        if (_waiter is not null)
            throw new InvalidOperationException($"{caller}() called while another coroutine is already waiting for incoming data");
        Debug.Assert(!_eof, "waiting for data after EOF");
        var loop = _loop ??= Asyncio.GetRunningLoop();
        if (EventLoop.RunningLoopOnThisThread != loop)
            throw new InvalidOperationException($"{caller}() called on a loop other than the reader's ({this})");
        if (_paused)
        {
            _paused = false;
            _transport!.ResumeReading();
        }
        // A wait woken but not yet resumed is still in use: a second reader then gets its own.
        var wait = _spareWait is { InUse: false } spare ? spare : new Wait(this);
        _spareWait = wait;
        wait.Begin(readIntoBuffer, readCount);
        _waiter = wait;
        return new WaitAwaiter(wait);
    }

    /// <summary>Wakes the waiting read, if any: with <paramref name="error"/>, the await raises it.</summary>
    private void WakeupWaiter(Exception? error = null)
    {
        var waiter = _waiter;
        if (waiter is null)
            return;
        _waiter = null;
        if (!waiter.Cancelled)
            waiter.Wake(error);
    }

    /// <summary>The read resumed: it no longer waits, and if it raises, the bytes already copied
    /// into its ReadInto buffer go back in front of the buffer, for a read waiting meanwhile.</summary>
    private void EndWait(Wait wait, bool failed)
    {
        if (_waiter == wait)
            _waiter = null;
        if (_deliveredTo == wait)
            _deliveredTo = null;
        if (failed && wait.Delivered > 0)
        {
            Unread(wait.Into.Span[..wait.Delivered]);
            // A read that began meanwhile waits on an empty buffer: it gets them.
            WakeupWaiter();
        }
    }

    /// <summary>What a waiting read's task waits on (its <c>_fut_waiter</c>).</summary>
    private sealed class Wait(StreamReader reader) : IAwaitTarget, ITaskWaitTarget
    {
        private ITaskDriver? _task;
        private Exception? _error;
        private CancelledError? _cancelled;

        /// <summary>From <see cref="Begin"/> until the read resumes.</summary>
        public bool InUse { get; private set; }

        /// <summary>True once woken or cancelled: nothing more may be delivered.</summary>
        public bool Woken { get; private set; }

        public bool Cancelled => _cancelled is not null;

        /// <summary>The buffer of a waiting ReadInto, empty otherwise.</summary>
        public Memory<byte> Into { get; private set; }

        /// <summary>Bytes FeedData copied into <see cref="Into"/>.</summary>
        public int Delivered { get; set; }

        /// <summary>The most a waiting Read(n) takes (its n); 0 for the other reads.</summary>
        public int ReadCount { get; private set; }

        public void Begin(Memory<byte> into, int readCount)
        {
            Debug.Assert(!InUse, "a wait in use was begun again");
            InUse = true;
            Woken = false;
            _error = null;
            _cancelled = null;
            Into = into;
            Delivered = 0;
            ReadCount = readCount;
        }

        void IAwaitTarget.SuspendTask(ITaskDriver task, CoroutineBase resume)
        {
            _task = task;
            task.SuspendOnTarget(this, resume);
        }

        public void Wake(Exception? error)
        {
            if (Woken)
                return;
            Woken = true;
            _error = error;
            _task!.Wake();
        }

        public bool Cancel(string? message)
        {
            if (Woken)
                return false;
            Woken = true;
            _cancelled = new CancelledError(message);
            _task!.Wake();
            return true;
        }

        /// <summary>The read resumed: what it raises (a cancellation or error thrown into the
        /// task first, as for a future), else how many bytes were delivered.</summary>
        public int End()
        {
            var task = _task!;
            _task = null;
            var error = task.TakeThrowOnResume() ?? _cancelled ?? _error;
            reader.EndWait(this, failed: error is not null);
            var delivered = Delivered;
            Into = default;
            Delivered = 0;
            _error = null;
            InUse = false;
            if (error is not null)
                ExceptionDispatchInfo.Throw(error);
            return delivered;
        }

        public override string ToString() => $"<StreamReader wait{(Woken ? " woken" : " pending")}>";
    }

    /// <summary>Awaits a <see cref="Wait"/>: only inside the reader's own coroutines, whose
    /// builder suspends the task on it directly.</summary>
    private readonly struct WaitAwaiter : ICriticalNotifyCompletion, ILoopAwaiter
    {
        // Layout contract of ILoopAwaiter: exactly one field, an IAwaitTarget.
        private readonly IAwaitTarget _wait;

        public WaitAwaiter(Wait wait) => _wait = wait;

        public bool IsCompleted => false;

        public WaitAwaiter GetAwaiter() => this;

        public int GetResult() => ((Wait)_wait).End();

        public void OnCompleted(Action continuation) => throw ForeignAwait();

        public void UnsafeOnCompleted(Action continuation) => throw ForeignAwait();

        private static InvalidOperationException ForeignAwait() =>
            new("A StreamReader wait is awaited only by the reader's own coroutines.");
    }
}

using System.Diagnostics;
using System.Runtime.ExceptionServices;

namespace Sim.Core;

/// <summary>
/// asyncio's <c>Condition</c>: tasks wait, holding a lock, until another task notifies them.
/// <see cref="Wait"/>, <see cref="Notify"/> and <see cref="NotifyAll"/> require the lock;
/// notified tasks wake in the order they started waiting and return from <see cref="Wait"/>
/// once they hold the lock again. A waiter that leaves <see cref="Wait"/> with an exception (it
/// was cancelled) notifies another waiter in its place, so a notification is never lost
/// (CPython 3.13's rule; the other waiter may find nothing to do, which the condition-variable
/// protocol allows: re-check the state after every wake-up, or use <see cref="WaitFor"/>).
/// Loop thread only.
/// </summary>
[DebuggerDisplay("{ToString(),nq}")]
public sealed class LoopCondition : LoopBound
{
    private readonly LoopLock _lock;
    private readonly WaiterQueue _waiters = new();

    /// <summary>A condition over <paramref name="underlyingLock"/> (several conditions may share
    /// one), or over a lock of its own when null.</summary>
    public LoopCondition(LoopLock? underlyingLock = null) => _lock = underlyingLock ?? new LoopLock();

    /// <summary>True while the underlying lock is held.</summary>
    public bool Locked() => _lock.Locked();

    /// <summary>Acquires the underlying lock (<see cref="LoopLock.Acquire"/>).</summary>
    public Coroutine<bool> Acquire() => _lock.Acquire();

    /// <summary>Releases the underlying lock (<see cref="LoopLock.Release"/>).</summary>
    /// <exception cref="InvalidOperationException">The lock is not held.</exception>
    public void Release() => _lock.Release();

    /// <summary>Acquires the underlying lock for a <c>using</c> block, which releases it (<c>async with cond</c>).</summary>
    public Coroutine<AcquiredScope> Hold() => _lock.Hold();

    /// <summary>
    /// Releases the lock, waits until notified, then re-acquires the lock (even when cancelled:
    /// the caller always holds the lock when this returns or throws) and returns true.
    /// </summary>
    /// <exception cref="InvalidOperationException">The lock is not held.</exception>
    public async Coroutine<bool> Wait()
    {
        if (!Locked())
            throw new InvalidOperationException("cannot wait on un-acquired lock: Acquire() (or Hold()) the condition first.");
        GetLoop();
        Release();
        try
        {
            try
            {
                await new NotifiedCoroutine(this);
                return true;
            }
            finally
            {
                await ReacquireEvenIfCancelled();
            }
        }
        catch
        {
            // This waiter may have been notified before it failed: hand the notification on.
            WakeUpTo(1);
            throw;
        }
    }

    /// <summary>Waits (<see cref="Wait"/>) until <paramref name="predicate"/> returns true; it is
    /// checked first, and after each wake-up with the lock held. Returns its last value.</summary>
    /// <exception cref="InvalidOperationException">The lock is not held and the predicate is false.</exception>
    public async Coroutine<bool> WaitFor(Func<bool> predicate)
    {
        ArgumentNullException.ThrowIfNull(predicate);
        var result = predicate();
        while (!result)
        {
            await Wait();
            result = predicate();
        }
        return result;
    }

    /// <summary>Wakes up to <paramref name="n"/> waiting tasks, first come first; each returns
    /// from <see cref="Wait"/> once it gets the lock, which the caller still holds.</summary>
    /// <exception cref="InvalidOperationException">The lock is not held.</exception>
    public void Notify(int n = 1)
    {
        CheckThread();
        ArgumentOutOfRangeException.ThrowIfNegative(n);
        if (!Locked())
            throw new InvalidOperationException("cannot notify on un-acquired lock: Acquire() (or Hold()) the condition first.");
        WakeUpTo(n);
    }

    /// <summary>Wakes every waiting task (<see cref="Notify"/> for all).</summary>
    /// <exception cref="InvalidOperationException">The lock is not held.</exception>
    public void NotifyAll() => Notify(_waiters.Count);

    /// <summary>asyncio's repr: <c>&lt;LoopCondition [locked, waiters:2]&gt;</c>.</summary>
    public override string ToString() =>
        $"<LoopCondition [{(Locked() ? "locked" : "unlocked")}{(_waiters.Count > 0 ? $", waiters:{_waiters.Count}" : "")}]>";

    private void WakeUpTo(int n) => _waiters.WakePending(n);

    /// <summary>Takes the lock back, waiting as long as it takes; a cancellation meanwhile is
    /// raised once the lock is held (the last one, as CPython 3.13 does).</summary>
    private async Coroutine ReacquireEvenIfCancelled()
    {
        CancelledError? cancelled = null;
        while (true)
        {
            try
            {
                await _lock.Acquire();
                break;
            }
            catch (CancelledError error)
            {
                cancelled = error;
            }
        }
        if (cancelled is not null)
            ExceptionDispatchInfo.Throw(cancelled);
    }

    /// <summary>The wait for a notification inside <see cref="Wait"/> (CPython's <c>await fut</c> there).</summary>
    private sealed class NotifiedCoroutine(LoopCondition owner) : LineWaiter<bool>(owner)
    {
        private protected override LoopBound Primitive => owner;

        public override string Name => "Wait";

        public override bool Begin() => WaitIn(owner._waiters);

        public override bool Resume()
        {
            owner._waiters.Remove(this);
            return Return(true);
        }

        public override void Abandon() => owner._waiters.Remove(this);
    }
}

using System.Diagnostics;

namespace Sim.Core;

/// <summary>
/// asyncio's <c>Lock</c>: a mutual-exclusion lock for tasks. Not owned by a task (any task may
/// release it) and not reentrant: a task that acquires it twice waits for itself. Fair: tasks
/// blocked in <see cref="Acquire"/> get it in arrival order, and a task cannot jump the line while
/// one is waiting, even between a release and the woken waiter's next step. Loop thread only.
/// </summary>
/// <example>
/// <code>
/// using (await lk.Hold())
/// {
///     // only one task at a time runs here
/// }
/// </code>
/// </example>
[DebuggerDisplay("{ToString(),nq}")]
public sealed partial class LoopLock : LoopBound, IReleasable
{
    private readonly WaiterQueue _waiters = new();
    private SpareOperation<AcquireCoroutine> _spareAcquire;
    private bool _locked;

    /// <summary>True while the lock is held.</summary>
    public bool Locked() => _locked;

    /// <summary>Waits until the lock is free and this task is first in line, takes it, returns true.</summary>
    /// <remarks>A task cancelled while it waits leaves the line; if it had already been given the
    /// lock's turn, the turn passes to the next waiter.</remarks>
    public Coroutine<bool> Acquire() => _spareAcquire.Take(this) ?? new AcquireCoroutine(this);

    /// <summary>Acquires the lock for a <c>using</c> block, which releases it (<c>async with lock</c>).</summary>
    public async Coroutine<AcquiredScope> Hold()
    {
        await Acquire();
        return new AcquiredScope(this);
    }

    /// <summary>Releases the lock and gives the turn to the first waiter, if any.</summary>
    /// <exception cref="InvalidOperationException">The lock is not held.</exception>
    public void Release()
    {
        CheckThread();
        if (!_locked)
            throw new InvalidOperationException("Lock is not acquired: Release() must follow a successful Acquire().");
        _locked = false;
        WakeUpFirst();
    }

    /// <summary>asyncio's repr: <c>&lt;LoopLock [locked, waiters:2]&gt;</c>.</summary>
    public override string ToString() =>
        $"<LoopLock [{(_locked ? "locked" : "unlocked")}{(_waiters.Count > 0 ? $", waiters:{_waiters.Count}" : "")}]>";

    /// <summary>Makes sure the waiter at the front will run: wakes it unless it is done already
    /// (then it is either about to take the lock, or cancelled and will pass the turn on itself).</summary>
    private void WakeUpFirst()
    {
        if (_waiters.Count > 0 && !_waiters[0].Done)
            _waiters[0].Wake();
    }
}

using System.Diagnostics;

namespace Sim.Core;

/// <summary>
/// asyncio's <c>Semaphore</c>: a counter that <see cref="Acquire"/> decrements, waiting while it
/// is zero, and <see cref="Release"/> increments. Fair: waiters are served in arrival order, and
/// a task cannot take a unit while an earlier task is still waiting for one. A waiter cancelled
/// after it was given a unit gives it back and passes the turn on. Loop thread only.
/// </summary>
[DebuggerDisplay("{ToString(),nq}")]
public partial class LoopSemaphore : LoopBound, IReleasable
{
    private readonly WaiterQueue _waiters = new();
    private SpareOperation<AcquireCoroutine> _spareAcquire;
    private readonly int _bound;
    private int _value;

    /// <summary>A semaphore with <paramref name="value"/> units.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="value"/> is negative.</exception>
    public LoopSemaphore(int value = 1) : this(value, int.MaxValue) { }

    private protected LoopSemaphore(int value, int bound)
    {
        if (value < 0)
            throw new ArgumentOutOfRangeException(nameof(value), value, "A semaphore's initial value must be >= 0 (0: every Acquire waits for a Release).");
        _value = value;
        _bound = bound;
    }

    /// <summary>The units free now (what asyncio keeps in <c>_value</c>).</summary>
    internal int Value => _value;

    /// <summary>True when <see cref="Acquire"/> would wait: no unit is free, or a task is already
    /// waiting for one (it goes first).</summary>
    public bool Locked() => _value == 0 || !_waiters.AllCancelled();

    /// <summary>Takes a unit, waiting in line for one if needed; returns true.</summary>
    public Coroutine<bool> Acquire() => _spareAcquire.Take(this) ?? new AcquireCoroutine(this);

    /// <summary>Acquires a unit for a <c>using</c> block, which releases it (<c>async with sem</c>).</summary>
    public async Coroutine<AcquiredScope> Hold()
    {
        await Acquire();
        return new AcquiredScope(this);
    }

    /// <summary>Gives a unit back, waking the first waiter, if any.</summary>
    /// <exception cref="System.Threading.SemaphoreFullException">A bounded semaphore would exceed its initial value.</exception>
    public void Release()
    {
        CheckThread();
        if (_value >= _bound)
            throw new SemaphoreFullException(_bound == int.MaxValue
                ? "LoopSemaphore released too many times: its value would overflow."
                : $"{TypeName} released too many times: its value would exceed its initial value {_bound}.");
        _value++;
        WakeUpNext();
    }

    /// <summary>asyncio's repr: <c>&lt;LoopSemaphore [unlocked, value:2]&gt;</c>.</summary>
    public override string ToString() =>
        $"<{TypeName} [{(Locked() ? "locked" : $"unlocked, value:{_value}")}{(_waiters.Count > 0 ? $", waiters:{_waiters.Count}" : "")}]>";

    /// <summary>Hands a unit to the first waiter that is not done, if any.</summary>
    private void WakeUpNext()
    {
        for (var i = 0; i < _waiters.Count; i++)
        {
            var waiter = _waiters[i];
            if (waiter.Done)
                continue;
            _value--;
            waiter.Wake();
            return;
        }
    }
}

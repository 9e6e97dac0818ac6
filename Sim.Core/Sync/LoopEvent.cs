using System.Diagnostics;

namespace Sim.Core;

/// <summary>
/// asyncio's <c>Event</c>: a flag tasks can wait for. <see cref="Set"/> wakes every task waiting
/// at that moment, in the order they started waiting; a task cancelled while it waits is
/// skipped. Loop thread only.
/// </summary>
[DebuggerDisplay("{ToString(),nq}")]
public sealed class LoopEvent : LoopBound
{
    private readonly WaiterQueue _waiters = new();

    /// <summary>True while the flag is set.</summary>
    public bool IsSet { get; private set; }

    /// <summary>Sets the flag and wakes every waiter; later waiters return at once until <see cref="Clear"/>.</summary>
    public void Set()
    {
        CheckThread();
        if (IsSet)
            return;
        IsSet = true;
        // asyncio leaves the woken futures in its deque until each waiter removes its own; nothing
        // reads a woken entry, so the line is emptied here at once instead.
        _waiters.WakeAllAndClear();
    }

    /// <summary>Clears the flag: later waiters block until the next <see cref="Set"/>.</summary>
    public void Clear()
    {
        CheckThread();
        IsSet = false;
    }

    /// <summary>Waits until the flag is set; returns true (at once if it is set).</summary>
    public Coroutine<bool> Wait() => new WaitCoroutine(this);

    /// <summary>asyncio's repr: <c>&lt;LoopEvent [unset, waiters:2]&gt;</c>.</summary>
    public override string ToString() =>
        $"<LoopEvent [{(IsSet ? "set" : "unset")}{(_waiters.Count > 0 ? $", waiters:{_waiters.Count}" : "")}]>";

    /// <summary><see cref="Wait"/>, as CPython's <c>Event.wait</c> does it.</summary>
    private sealed class WaitCoroutine(LoopEvent owner) : LineWaiter<bool>(owner)
    {
        private protected override LoopBound Primitive => owner;

        public override string Name => "Wait";

        public override bool TryFinishAtOnce() => owner.IsSet && Return(true);

        public override bool Begin()
        {
            if (TryFinishAtOnce())
                return true;
            owner.GetLoop();
            return WaitIn(owner._waiters);
        }

        public override bool Resume() => Return(true);

        public override void Abandon() => owner._waiters.Remove(this);
    }
}

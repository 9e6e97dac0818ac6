using System.Diagnostics;

namespace Sim.Core;

public sealed partial class LoopLock
{
    /// <summary><see cref="Acquire"/>, as CPython's <c>Lock.acquire</c> does it.</summary>
    private sealed class AcquireCoroutine(LoopLock owner) : LineWaiter<bool>(owner)
    {
        private protected override LoopBound Primitive => owner;

        public override string Name => "Acquire";

        private protected override void OnResultReadAtAwait() => owner._spareAcquire.Keep(this);

        // Free and nobody in line (or only cancelled waiters, who will not take it): take it now.
        public override bool TryFinishAtOnce()
        {
            if (owner._locked || !owner._waiters.AllCancelled())
                return false;
            owner._locked = true;
            return Return(true);
        }

        public override bool Begin()
        {
            if (TryFinishAtOnce())
                return true;
            owner.GetLoop();
            return WaitIn(owner._waiters);
        }

        public override bool Resume()
        {
            owner._waiters.Remove(this);
            // Woken by Release, and nobody could jump the line since: the lock is free.
            Debug.Assert(!owner._locked, "a woken waiter found the lock taken");
            owner._locked = true;
            return Return(true);
        }

        public override void Abandon()
        {
            owner._waiters.Remove(this);
            // The lock invariant: if it is free and a task waits, the task at the front will run.
            if (!owner._locked)
                owner.WakeUpFirst();
        }
    }
}

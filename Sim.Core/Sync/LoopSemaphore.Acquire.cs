namespace Sim.Core;

public partial class LoopSemaphore
{
    /// <summary><see cref="Acquire"/>, as CPython's <c>Semaphore.acquire</c> (3.11) does it: the
    /// unit is taken from the count when the waiter is woken, not when it resumes.</summary>
    private sealed class AcquireCoroutine(LoopSemaphore owner) : LineWaiter<bool>(owner)
    {
        private protected override LoopBound Primitive => owner;

        public override string Name => "Acquire";

        private protected override void OnResultReadAtAwait() => owner._spareAcquire.Keep(this);

        public override bool TryFinishAtOnce()
        {
            if (owner.Locked())
                return false;
            owner._value--;
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
            // Units released while this waiter was on its way go to the next one in line.
            if (owner._value > 0)
                owner.WakeUpNext();
            return Return(true);
        }

        public override void Abandon()
        {
            owner._waiters.Remove(this);
            if (!Cancelled)
            {
                // Given a unit, then cancelled before it could use it: give it back.
                owner._value++;
                owner.WakeUpNext();
            }
        }
    }
}

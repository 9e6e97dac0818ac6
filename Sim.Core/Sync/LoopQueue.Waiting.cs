namespace Sim.Core;

public partial class LoopQueue<T>
{
    /// <summary><see cref="Get"/>, as CPython's <c>Queue.get</c> (3.13) does it: wait while
    /// the queue is empty, then take the item at once.</summary>
    private sealed class GetCoroutine(LoopQueue<T> owner) : LineWaiter<T>(owner)
    {
        private protected override LoopBound Primitive => owner;

        public override string Name => "Get";

        private protected override void OnResultReadAtAwait() => owner._spareGet.Keep(this);

        public override bool TryFinishAtOnce()
        {
            if (owner.Empty())
                return false;
            owner.CheckThread();
            return Return(owner.TakeAndWakePutter());
        }

        public override bool Begin()
        {
            if (TryFinishAtOnce())
                return true;
            if (owner._isShutdown)
                return Fail(new QueueShutDownException());
            owner.GetLoop();
            return WaitIn(owner._getters);
        }

        // Woken by a put (or a shutdown); another getter may have been faster, so check again.
        public override bool Resume() => Begin();

        public override void Abandon()
        {
            // A woken getter was popped from the line already; a cancelled one still stands in it.
            owner._getters.Remove(this);
            if (!owner.Empty() && !Cancelled)
            {
                // Woken by a put but cancelled before taking the item: the next getter takes it.
                owner._getters.PopAndWakeNext();
            }
        }
    }

    /// <summary><see cref="Put"/>, as CPython's <c>Queue.put</c> (3.13) does it.</summary>
    private sealed class PutCoroutine(LoopQueue<T> owner) : LineWaiter(owner)
    {
        private protected override LoopBound Primitive => owner;

        public override string Name => "Put";

        /// <summary>The item to put (set by <see cref="LoopQueue{T}.Put"/>, also when it renews a spare).</summary>
        public T Item { get; set; } = default!;

        private protected override void OnResultReadAtAwait()
        {
            // The spare must not keep the item alive.
            Item = default!;
            owner._sparePut.Keep(this);
        }

        // A shut-down queue refuses the put: that goes the ordinary way, to fail at the await.
        public override bool TryFinishAtOnce()
        {
            if (owner._isShutdown || owner.Full())
                return false;
            owner.CheckThread();
            owner.AddAndWakeGetter(Item);
            return Return();
        }

        public override bool Begin()
        {
            if (!owner.Full())
            {
                owner.PutNowait(Item);
                return Return();
            }
            if (owner._isShutdown)
                return Fail(new QueueShutDownException());
            owner.GetLoop();
            return WaitIn(owner._putters);
        }

        public override bool Resume() => Begin();

        public override void Abandon()
        {
            owner._putters.Remove(this);
            if (!owner.Full() && !Cancelled)
            {
                // Woken by a get but cancelled before using the slot: the next putter gets it.
                owner._putters.PopAndWakeNext();
            }
        }
    }
}

namespace Sim.Core;

/// <summary>
/// Warming the caches for the timers phase 4 will move next. With many timers waiting, the
/// objects a timer's callback touches (its state, the task waiting on it) are scattered over a
/// large heap, and each costs a cache miss when its turn comes. Phase 4 therefore reads, ahead of
/// time, a word of what the next timers will need: the slot of the timer after next, the state
/// of the next one (its slot was warmed the time before), and the task of a coroutine whose
/// timer it moves now (to run after the ready callbacks). The reads feed a branch that is never
/// taken, so they stay in the code, and the processor runs on while they are served: the misses
/// overlap the loop's other work instead of stalling the callbacks. Nothing observable changes.
/// </summary>
internal sealed partial class TimerQueue
{
    // Counts reads that met what they (almost) never meet; it exists only so the reads are kept.
    private int _warmingSink;

    /// <summary>After phase 4: warms the state of the heap's next timer and the slot of the one
    /// after it (the earliest of the top's children).</summary>
    private void WarmNextTimers()
    {
        if (_count == 0)
            return;
        WarmObject(_slots[_heap[0].Id].Callback.State);
        var last = Math.Min(Arity + 1, _count);
        if (last <= 1)
            return;
        var after = 1;
        for (var child = 2; child < last; child++)
        {
            if (_heap[child].Precedes(_heap[after]))
                after = child;
        }
        if (_slots[_heap[after].Id].Version < 0) // only after 2^31 reuses of one id
            _warmingSink++;
    }

    /// <summary>A due timer whose callback steps a coroutine: warms the coroutine's task.</summary>
    private void WarmTask(object? state)
    {
        if (state is CoroutineBase coroutine)
            WarmObject(coroutine.Task);
    }

    private void WarmObject(object? target)
    {
        if (target is not null && target.GetType() == typeof(TimerQueue))
            _warmingSink++;
    }
}

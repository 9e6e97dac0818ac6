using System.Diagnostics;

namespace Sim.Core;

/// <summary>
/// asyncio's <c>Barrier</c>: <see cref="Parties"/> tasks wait for each other, then all go on
/// together. <see cref="Wait"/> returns each task's arrival index (0 to Parties - 1). The
/// barrier is reusable: tasks that arrive while the previous group is still leaving wait for
/// the next round. <see cref="Reset"/> and <see cref="Abort"/> make the waiting tasks raise
/// <see cref="BrokenBarrierException"/>; after an abort, so does every later wait.
/// <code>
/// Filling --(last party arrives)--> Draining --(all left)--> Filling
/// Filling/Draining --Reset--> Resetting --(all left)--> Filling
/// any --Abort--> Broken (for good)
/// </code>
/// Loop thread only.
/// </summary>
[DebuggerDisplay("{ToString(),nq}")]
public sealed class LoopBarrier : LoopBound
{
    private readonly LoopCondition _condition = new();
    private BarrierState _state = BarrierState.Filling;
    private int _count;

    private enum BarrierState
    {
        Filling,
        Draining,
        Resetting,
        Broken,
    }

    /// <summary>A barrier for <paramref name="parties"/> tasks.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="parties"/> is less than 1.</exception>
    public LoopBarrier(int parties)
    {
        if (parties < 1)
            throw new ArgumentOutOfRangeException(nameof(parties), parties, "A barrier needs at least 1 party (parties must be > 0).");
        Parties = parties;
    }

    /// <summary>The number of tasks that must wait for the barrier to let them all go.</summary>
    public int Parties { get; }

    /// <summary>The number of tasks waiting for the barrier to fill (0 while it drains or resets).</summary>
    public int NWaiting => _state == BarrierState.Filling ? _count : 0;

    /// <summary>True once <see cref="Abort"/> broke the barrier.</summary>
    public bool Broken => _state == BarrierState.Broken;

    /// <summary>
    /// Waits until <see cref="Parties"/> tasks are waiting, then returns this task's arrival index.
    /// </summary>
    /// <exception cref="BrokenBarrierException">The barrier was reset or aborted while this task
    /// waited, or is broken.</exception>
    public async Coroutine<int> Wait()
    {
        // Bound here, not only through the condition inside, so misuse names the barrier.
        GetLoop();
        using (await _condition.Hold())
        {
            // Wait for the previous group to leave (or a reset to finish).
            await Block();
            try
            {
                var index = _count++;
                if (index + 1 == Parties)
                    Trip();
                else
                    await WaitForTrip();
                return index;
            }
            finally
            {
                _count--;
                // The last task out lets the next group in.
                LeaveCompleted();
            }
        }
    }

    /// <summary>Returns the barrier to its empty state; tasks waiting now raise
    /// <see cref="BrokenBarrierException"/>. A broken barrier is usable again after it.</summary>
    public async Coroutine Reset()
    {
        using (await _condition.Hold())
        {
            if (_count > 0)
                _state = BarrierState.Resetting;
            else
                _state = BarrierState.Filling;
            _condition.NotifyAll();
        }
    }

    /// <summary>Breaks the barrier: tasks waiting now and every later <see cref="Wait"/> raise
    /// <see cref="BrokenBarrierException"/>, until <see cref="Reset"/>.</summary>
    public async Coroutine Abort()
    {
        using (await _condition.Hold())
        {
            _state = BarrierState.Broken;
            _condition.NotifyAll();
        }
    }

    /// <summary>asyncio's repr: <c>&lt;LoopBarrier [filling, waiters:1/3]&gt;</c>.</summary>
    public override string ToString() =>
        $"<LoopBarrier [{_state.ToString().ToLowerInvariant()}{(Broken ? "" : $", waiters:{NWaiting}/{Parties}")}]>";

    private async Coroutine Block()
    {
        await _condition.WaitFor(() => _state is not (BarrierState.Draining or BarrierState.Resetting));
        if (_state == BarrierState.Broken)
            throw new BrokenBarrierException("Barrier aborted");
    }

    private void Trip()
    {
        _state = BarrierState.Draining;
        _condition.NotifyAll();
    }

    private async Coroutine WaitForTrip()
    {
        await _condition.WaitFor(() => _state != BarrierState.Filling);
        if (_state is BarrierState.Broken or BarrierState.Resetting)
            throw new BrokenBarrierException("Abort or reset of barrier");
    }

    private void LeaveCompleted()
    {
        if (_count != 0)
            return;
        if (_state is BarrierState.Resetting or BarrierState.Draining)
            _state = BarrierState.Filling;
        _condition.NotifyAll();
    }
}

using System.Diagnostics;

namespace Sim.Core;

/// <summary>
/// The due list: the timers phase 4 found due, in (deadline, sequence) order, which phase 5
/// takes one by one after the callbacks that were ready before phase 4. It is the sorted overdue
/// batch itself when no heap timer is due (nothing is copied), else a merge of both.
/// </summary>
internal sealed partial class TimerQueue
{
    private DueTimer[] _due = [];
    private int _dueCount;
    private int _dueNext;

    private DueTimer[] _merged = new DueTimer[16];
    private int _mergedCount;

    /// <summary>Due timers phase 5 has not taken yet.</summary>
    public int DueCount => _dueCount - _dueNext;

    /// <summary>True while phase 5 has due timers left (after phase 4, or after a phase 5 cut short).</summary>
    public bool HasDue => _dueNext < _dueCount;

    /// <summary>
    /// Phase 5: the next due timer to run, skipping (and forgetting) the cancelled ones; false
    /// when none is left. After a heap timer (<see cref="Callback.TimerId"/> &gt; 0) has run,
    /// <see cref="Release"/> frees its id.
    /// </summary>
    public bool TryTakeDue(out Callback callback)
    {
        while (_dueNext < _dueCount)
        {
            ref var due = ref _due[_dueNext++];
            callback = due.Callback;
            var whenNs = due.WhenNs;
            due = default;
            var id = callback.TimerId;
            if (id < 0)
            {
                _lastTakenWhenNs = whenNs;
                _lastTakenIndex = OverdueIndexOf(id);
                _lastTakenRunning = _running.CancelledCount == 0 || !_running.IsMarked(_lastTakenIndex);
                if (_lastTakenRunning)
                    return true;
                continue;
            }
            _lastTakenRunning = false;
            if (!_slots[id].Cancelled)
                return true;
            Release(id);
        }
        _dueCount = 0;
        _dueNext = 0;
        FinishRunningBatch();
        callback = default;
        return false;
    }

    /// <summary>The handle of the timer <see cref="TryTakeDue"/> returned last, for error reports.</summary>
    public TimerHandle HandleOfTaken(int id)
    {
        Debug.Assert(id != 0, "not a timer");
        return id > 0
            ? new TimerHandle(this, id, _slots[id].Version, _slots[id].WhenNs)
            : new TimerHandle(this, id, _running.Epoch, _lastTakenWhenNs);
    }

    private void SetDue(DueTimer[] due, int count)
    {
        _due = due;
        _dueCount = count;
        _dueNext = 0;
    }

    private void StartMerged() => _mergedCount = 0;

    private void AppendMerged(in DueTimer timer)
    {
        if (_mergedCount == _merged.Length)
            Array.Resize(ref _merged, _merged.Length * 2);
        _merged[_mergedCount++] = timer;
    }

    private void ClearDue()
    {
        Array.Clear(_due, _dueNext, _dueCount - _dueNext);
        _dueCount = 0;
        _dueNext = 0;
    }
}

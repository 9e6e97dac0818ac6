using System.Diagnostics;

namespace Sim.Core;

/// <summary>Heap timer ids: the per-timer slots through which handles cancel in O(1).</summary>
internal sealed partial class TimerQueue
{
    // Per timer id (index 0 unused: TimerId 0 means "not a timer"), everything in one struct so
    // that touching a timer's state costs one cache line.
    private Slot[] _slots = new Slot[64];
    private int[] _freeIds = new int[64];
    private int _freeCount;
    private int _nextId = 1;

    /// <summary>Phase 5, after a heap timer's callback ran (or was skipped): its id is free again.</summary>
    public void Release(int id)
    {
        ref var slot = ref _slots[id];
        Debug.Assert(slot.State != TimerState.Free, "a timer id released twice");
        slot.State = TimerState.Free;
        slot.Cancelled = false;
        slot.Callback = default;
        slot.Version++;
        if (_freeCount == _freeIds.Length)
            Array.Resize(ref _freeIds, _freeIds.Length * 2);
        _freeIds[_freeCount++] = id;
    }

    private void CancelInHeap(int id, int version)
    {
        ref var slot = ref _slots[id];
        if (slot.Version != version || slot.Cancelled || slot.State == TimerState.Free)
            return;
        slot.Cancelled = true;
        if (slot.State == TimerState.InHeap)
            CancelledCount++;
    }

    private bool IsCancelledInHeap(int id, int version) => _slots[id].Version == version && _slots[id].Cancelled;

    private int AllocateId()
    {
        if (_freeCount > 0)
            return _freeIds[--_freeCount];
        if (_nextId == _slots.Length)
            Array.Resize(ref _slots, _slots.Length * 2);
        return _nextId++;
    }

    /// <summary>What the queue knows of a timer id.</summary>
    private struct Slot
    {
        // The callback while the timer waits in the heap, so that the heap's nodes hold no
        // references: sifting moves plain numbers, without the GC's write barriers.
        public Callback Callback;
        public long WhenNs;
        public int Version;
        public TimerState State;
        public bool Cancelled;
    }

    private enum TimerState : byte
    {
        Free,
        InHeap,
        Due,
    }
}

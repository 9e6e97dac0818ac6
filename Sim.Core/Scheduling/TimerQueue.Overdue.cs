namespace Sim.Core;

/// <summary>
/// Timers already due when scheduled (<c>CallLater(0)</c>, <c>CallAt</c> in the past): they will
/// be due at the next phase 4 whatever happens, so they skip the heap and the per-id slots. They
/// wait in the overdue list in scheduling order, as one batch; phase 4 sorts the batch by
/// deadline (stably, so ties stay in sequence order) into the due list, from which phase 5 runs it.
/// The overdue list is a chain of chunks, each as large as all before it together: it grows
/// without copying, and its chunks serve every later batch.
/// </summary>
/// <remarks>
/// A batch lives from its first timer's scheduling until phase 5 has taken its last timer, so
/// at most two exist: the one filling and the one running. An overdue timer's handle names its
/// batch (the epoch, as its version) and its place in it (its sequence number less the batch's
/// first, as its id, negated); a cancellation sets a bit in the batch. The running batch knows
/// how far phase 5 got, in (deadline, sequence) order, so a handle whose timer has already run
/// (or been skipped) is inert, like a released heap timer's.
/// </remarks>
internal sealed partial class TimerQueue
{
    private readonly List<DueTimer[]> _overdueChunks = [new DueTimer[16]];
    private DueTimer[] _overdueChunk;
    private int _overdueChunkIndex;
    private int _overdueChunkCount;
    private int _overdueCount;
    private long _overdueMinWhenNs;
    private long _overdueMaxWhenNs;
    private int _lastEpoch;

    private OverdueBatch _filling = new();
    private OverdueBatch _running = new();

    // The last timer of the running batch that phase 5 took: those before it, in (deadline,
    // sequence) order, have run or been skipped; it is still running unless it was skipped or
    // a heap timer was taken since. -1: none yet.
    private long _lastTakenWhenNs;
    private int _lastTakenIndex = -1;
    private bool _lastTakenRunning;

    public TimerQueue() => _overdueChunk = _overdueChunks[0];

    /// <summary>An overdue timer's id is its index in its batch, negated so that ids of heap
    /// timers (positive) and "not a timer" (0) stay apart.</summary>
    private static int OverdueIndexOf(int timerId) => ~timerId;

    private TimerHandle PushOverdue(long whenNs, in Callback callback)
    {
        if (_overdueCount == 0)
            StartOverdueBatch(whenNs);
        var offset = _sequence++ - _filling.FirstSequence;
        if (offset >= int.MaxValue)
            throw new InvalidOperationException("More than 2^31 timers were scheduled in one loop iteration.");
        var id = ~(int)offset;
        if (_overdueChunkCount == _overdueChunk.Length)
            NextOverdueChunk();
        _overdueChunk[_overdueChunkCount++] = new DueTimer(whenNs, callback.ForTimer(id));
        _overdueCount++;
        if (whenNs < _overdueMinWhenNs)
            _overdueMinWhenNs = whenNs;
        else if (whenNs > _overdueMaxWhenNs)
            _overdueMaxWhenNs = whenNs;
        return new TimerHandle(this, id, _filling.Epoch, whenNs);
    }

    /// <summary>The current chunk is full: the next one, new (as large as all before it) if
    /// no earlier batch needed it.</summary>
    private void NextOverdueChunk()
    {
        _overdueChunkIndex++;
        if (_overdueChunkIndex == _overdueChunks.Count)
            _overdueChunks.Add(new DueTimer[_overdueCount]);
        _overdueChunk = _overdueChunks[_overdueChunkIndex];
        _overdueChunkCount = 0;
    }

    /// <summary>The chunks in use, filled part only, in scheduling order.</summary>
    private Span<DueTimer> OverdueChunk(int index) =>
        _overdueChunks[index].AsSpan(0, index < _overdueChunkIndex ? _overdueChunks[index].Length : _overdueChunkCount);

    /// <summary>The overdue list is empty again (its entries cleared), its chunks kept.</summary>
    private void ResetOverdueList()
    {
        _overdueCount = 0;
        _overdueChunkIndex = 0;
        _overdueChunkCount = 0;
        _overdueChunk = _overdueChunks[0];
    }

    private void StartOverdueBatch(long whenNs)
    {
        _lastEpoch = _lastEpoch == int.MaxValue ? 1 : _lastEpoch + 1;
        _filling.Start(_lastEpoch, _sequence);
        _overdueMinWhenNs = whenNs;
        _overdueMaxWhenNs = whenNs;
    }

    /// <summary>Phase 4: the filling batch becomes the running one (the previous one is over).</summary>
    private void StartRunningBatch()
    {
        (_running, _filling) = (_filling, _running);
        _lastTakenIndex = -1;
    }

    /// <summary>Phase 5 has taken the running batch's last timer.</summary>
    private void FinishRunningBatch()
    {
        _running.Finish();
        _lastTakenIndex = -1;
    }

    private void CancelOverdue(int index, int epoch, long whenNs)
    {
        if (_overdueCount > 0 && epoch == _filling.Epoch)
            _filling.Mark(index);
        else if (epoch == _running.Epoch && epoch != 0 && !HasBeenTaken(index, whenNs))
            _running.Mark(index);
    }

    private bool IsCancelledOverdue(int index, int epoch, long whenNs)
    {
        if (_overdueCount > 0 && epoch == _filling.Epoch)
            return _filling.IsMarked(index);
        return epoch == _running.Epoch && epoch != 0 && !HasBeenTaken(index, whenNs) && _running.IsMarked(index);
    }

    /// <summary>Whether phase 5 is done with a timer of the running batch (one still running
    /// can still be cancelled, as a heap timer can).</summary>
    private bool HasBeenTaken(int index, long whenNs) =>
        _lastTakenIndex >= 0
        && (whenNs < _lastTakenWhenNs
            || (whenNs == _lastTakenWhenNs && (index < _lastTakenIndex || (index == _lastTakenIndex && !_lastTakenRunning))));

    private void ClearOverdue()
    {
        for (var chunk = 0; chunk <= _overdueChunkIndex; chunk++)
            OverdueChunk(chunk).Clear();
        ResetOverdueList();
        _filling.Finish();
        FinishRunningBatch();
    }

    /// <summary>One batch of overdue timers: which were cancelled, by index.</summary>
    private sealed class OverdueBatch
    {
        private ulong[] _cancelled = new ulong[1];

        /// <summary>0 when the batch is over (no handle has epoch 0).</summary>
        public int Epoch { get; private set; }

        /// <summary>The sequence number of the batch's first timer: index 0.</summary>
        public long FirstSequence { get; private set; }

        public int CancelledCount { get; private set; }

        public void Start(int epoch, long firstSequence)
        {
            Epoch = epoch;
            FirstSequence = firstSequence;
        }

        public void Mark(int index)
        {
            var word = index >> 6;
            if (word >= _cancelled.Length)
                Array.Resize(ref _cancelled, Math.Max(word + 1, _cancelled.Length * 2));
            var bit = 1UL << index;
            if ((_cancelled[word] & bit) != 0)
                return;
            _cancelled[word] |= bit;
            CancelledCount++;
        }

        public bool IsMarked(int index)
        {
            var word = index >> 6;
            return word < _cancelled.Length && (_cancelled[word] & (1UL << index)) != 0;
        }

        public void Finish()
        {
            if (CancelledCount > 0)
                Array.Clear(_cancelled);
            CancelledCount = 0;
            Epoch = 0;
        }
    }
}

using System.Numerics;

namespace Sim.Core;

/// <summary>
/// Phase 4's sort of the overdue batch by deadline. The batch is in sequence order, so a stable
/// sort on the deadline alone gives (deadline, sequence) order. A large batch is first spread
/// over buckets by the top bits of its deadline, in one pass in memory order; each bucket is
/// small enough to stay in cache while a radix sort of its keys orders it and the timers are
/// gathered. No timer is looked up at random in a large array (a cache miss each).
/// </summary>
internal sealed partial class TimerQueue
{
    // Below this many timers (a batch, or one bucket) an insertion sort is cheaper than counting.
    private const int InsertionSortMaximum = 32;

    // 256 buckets: a million timers make buckets of about 4,000 (128 KB), which a core's cache holds.
    private const int BucketBits = 8;

    private DueTimer[] _sortSpare = [];
    private ulong[] _bucketKeys = [];
    private ulong[] _bucketSpareKeys = [];

    /// <summary>Sorts the overdue batch; the filling list becomes the sorted one and a cleared
    /// array takes its place. Returns the sorted timers.</summary>
    private DueTimer[] SortOverdueBatch()
    {
        var count = _overdueCount;
        if (_sortSpare.Length < count)
            _sortSpare = new DueTimer[_overdue.Length];
        var sorted = _overdue;
        SortByDeadline(_overdue.AsSpan(0, count), _sortSpare.AsSpan(0, count), _overdueMinWhenNs, _overdueMaxWhenNs);
        _overdue = _sortSpare;
        _sortSpare = sorted;
        _overdueCount = 0;
        return sorted;
    }

    /// <summary>Sorts <paramref name="timers"/> stably by deadline, in place, using
    /// <paramref name="spare"/> (as long, left cleared).</summary>
    private void SortByDeadline(Span<DueTimer> timers, Span<DueTimer> spare, long minWhenNs, long maxWhenNs)
    {
        var whenBits = 64 - BitOperations.LeadingZeroCount((ulong)(maxWhenNs - minWhenNs));
        if (timers.Length <= InsertionSortMaximum || whenBits == 0)
        {
            InsertionSortByDeadline(timers);
            return;
        }
        var bucketBits = Math.Min(whenBits, BucketBits);
        var shift = whenBits - bucketBits;
        Span<int> starts = stackalloc int[(1 << bucketBits) + 1];
        foreach (ref readonly var timer in timers)
            starts[(int)((ulong)(timer.WhenNs - minWhenNs) >> shift) + 1]++;
        for (var bucket = 1; bucket < starts.Length; bucket++)
            starts[bucket] += starts[bucket - 1];
        Span<int> next = stackalloc int[1 << bucketBits];
        starts[..^1].CopyTo(next);
        foreach (ref readonly var timer in timers)
            spare[next[(int)((ulong)(timer.WhenNs - minWhenNs) >> shift)]++] = timer;
        // Each bucket goes back from the spare array to its place in timers, sorted.
        for (var bucket = 0; bucket < starts.Length - 1; bucket++)
        {
            var from = spare[starts[bucket]..starts[bucket + 1]];
            var to = timers[starts[bucket]..starts[bucket + 1]];
            SortBucket(from, to, minWhenNs, shift);
            from.Clear();
        }
    }

    /// <summary>Sorts one bucket (deadlines that differ only in their low <paramref name="lowBits"/>
    /// bits) from <paramref name="from"/> into <paramref name="to"/>.</summary>
    private void SortBucket(Span<DueTimer> from, Span<DueTimer> to, long minWhenNs, int lowBits)
    {
        if (from.Length <= InsertionSortMaximum || lowBits == 0)
        {
            from.CopyTo(to);
            if (lowBits > 0)
                InsertionSortByDeadline(to);
            return;
        }
        var indexBits = 64 - BitOperations.LeadingZeroCount((ulong)(from.Length - 1));
        if (lowBits + indexBits > 64)
        {
            // Deadlines spread over centuries: no room for the index beside the key.
            from.CopyTo(to);
            to.Sort(default(DeadlineThenIndexOrder));
            return;
        }
        if (_bucketKeys.Length < from.Length)
        {
            _bucketKeys = new ulong[Math.Max(from.Length, 2 * _bucketKeys.Length)];
            _bucketSpareKeys = new ulong[_bucketKeys.Length];
        }
        var keys = _bucketKeys.AsSpan(0, from.Length);
        var lowMask = (1UL << lowBits) - 1;
        for (var i = 0; i < from.Length; i++)
            keys[i] = (((ulong)(from[i].WhenNs - minWhenNs) & lowMask) << indexBits) | (uint)i;
        RadixSort.SortKeys(keys, _bucketSpareKeys.AsSpan(0, from.Length), indexBits, lowBits);
        var indexMask = (1UL << indexBits) - 1;
        for (var i = 0; i < to.Length; i++)
            to[i] = from[(int)(keys[i] & indexMask)];
    }

    /// <summary>Stable: a timer moves only past later deadlines.</summary>
    private static void InsertionSortByDeadline(Span<DueTimer> timers)
    {
        for (var i = 1; i < timers.Length; i++)
        {
            var timer = timers[i];
            var j = i - 1;
            while (j >= 0 && timers[j].WhenNs > timer.WhenNs)
            {
                timers[j + 1] = timers[j];
                j--;
            }
            timers[j + 1] = timer;
        }
    }

    /// <summary>(deadline, index in the batch): the batch's total order.</summary>
    private readonly struct DeadlineThenIndexOrder : IComparer<DueTimer>
    {
        public int Compare(DueTimer x, DueTimer y) =>
            x.WhenNs != y.WhenNs ? x.WhenNs.CompareTo(y.WhenNs)
            : OverdueIndexOf(x.Callback.TimerId).CompareTo(OverdueIndexOf(y.Callback.TimerId));
    }
}

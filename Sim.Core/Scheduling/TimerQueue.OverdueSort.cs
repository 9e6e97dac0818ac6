using System.Numerics;

namespace Sim.Core;

/// <summary>
/// Phase 4's sort of the overdue batch by deadline. The batch is in sequence order, so a stable
/// sort on the deadline alone gives (deadline, sequence) order. A large batch is spread over
/// buckets by the top bits of its deadline while it is copied to the due array, in one pass in
/// memory order; each bucket is small enough to stay in cache while a radix sort of its keys
/// orders it. No timer is looked up at random in a large array (a cache miss each).
/// </summary>
internal sealed partial class TimerQueue
{
    // Below this many timers (a batch, or one bucket) an insertion sort is cheaper than counting.
    private const int InsertionSortMaximum = 32;

    // 256 buckets: a million timers make buckets of about 4,000 (128 KB), which a core's cache holds.
    private const int BucketBits = 8;

    private DueTimer[] _sorted = [];
    private DueTimer[] _bucketTimers = [];
    private ulong[] _bucketKeys = [];
    private ulong[] _bucketSpareKeys = [];

    /// <summary>Moves the overdue batch, sorted, to the due array (reused from batch to batch:
    /// phase 5 has emptied it) and empties the overdue list. Returns the sorted timers.</summary>
    private Span<DueTimer> SortOverdueBatch()
    {
        var count = _overdueCount;
        if (_sorted.Length < count)
            _sorted = new DueTimer[Math.Max(count, 2 * _sorted.Length)];
        var sorted = _sorted.AsSpan(0, count);
        var whenBits = 64 - BitOperations.LeadingZeroCount((ulong)(_overdueMaxWhenNs - _overdueMinWhenNs));
        if (count <= InsertionSortMaximum || whenBits == 0)
        {
            var copied = 0;
            for (var chunk = 0; chunk <= _overdueChunkIndex; chunk++)
            {
                var timers = OverdueChunk(chunk);
                timers.CopyTo(sorted[copied..]);
                copied += timers.Length;
                timers.Clear();
            }
            if (whenBits > 0)
                InsertionSortByDeadline(sorted);
        }
        else
        {
            SpreadOverBuckets(sorted, whenBits);
        }
        ResetOverdueList();
        return sorted;
    }

    /// <summary>Copies the overdue list into <paramref name="sorted"/>, bucket by bucket of the
    /// deadline's top bits (stably), then sorts each bucket.</summary>
    private void SpreadOverBuckets(Span<DueTimer> sorted, int whenBits)
    {
        var minWhenNs = _overdueMinWhenNs;
        var bucketBits = Math.Min(whenBits, BucketBits);
        var shift = whenBits - bucketBits;
        Span<int> starts = stackalloc int[(1 << bucketBits) + 1];
        for (var chunk = 0; chunk <= _overdueChunkIndex; chunk++)
        {
            foreach (ref readonly var timer in OverdueChunk(chunk))
                starts[(int)((ulong)(timer.WhenNs - minWhenNs) >> shift) + 1]++;
        }
        for (var bucket = 1; bucket < starts.Length; bucket++)
            starts[bucket] += starts[bucket - 1];
        Span<int> next = stackalloc int[1 << bucketBits];
        starts[..^1].CopyTo(next);
        for (var chunk = 0; chunk <= _overdueChunkIndex; chunk++)
        {
            foreach (ref var timer in OverdueChunk(chunk))
            {
                sorted[next[(int)((ulong)(timer.WhenNs - minWhenNs) >> shift)]++] = timer;
                timer = default;
            }
        }
        for (var bucket = 0; bucket < starts.Length - 1; bucket++)
            SortBucket(sorted[starts[bucket]..starts[bucket + 1]], minWhenNs, shift);
    }

    /// <summary>Sorts one bucket in place: deadlines that differ only in their low
    /// <paramref name="lowBits"/> bits.</summary>
    private void SortBucket(Span<DueTimer> bucket, long minWhenNs, int lowBits)
    {
        if (lowBits == 0)
            return;
        if (bucket.Length <= InsertionSortMaximum)
        {
            InsertionSortByDeadline(bucket);
            return;
        }
        var indexBits = 64 - BitOperations.LeadingZeroCount((ulong)(bucket.Length - 1));
        if (lowBits + indexBits > 64)
        {
            // Deadlines spread over centuries: no room for the index beside the key.
            bucket.Sort(default(DeadlineThenIndexOrder));
            return;
        }
        if (_bucketKeys.Length < bucket.Length)
        {
            _bucketKeys = new ulong[Math.Max(bucket.Length, 2 * _bucketKeys.Length)];
            _bucketSpareKeys = new ulong[_bucketKeys.Length];
            _bucketTimers = new DueTimer[_bucketKeys.Length];
        }
        var keys = _bucketKeys.AsSpan(0, bucket.Length);
        var lowMask = (1UL << lowBits) - 1;
        for (var i = 0; i < bucket.Length; i++)
            keys[i] = (((ulong)(bucket[i].WhenNs - minWhenNs) & lowMask) << indexBits) | (uint)i;
        RadixSort.SortKeys(keys, _bucketSpareKeys.AsSpan(0, bucket.Length), indexBits, lowBits);
        var gathered = _bucketTimers.AsSpan(0, bucket.Length);
        var indexMask = (1UL << indexBits) - 1;
        for (var i = 0; i < gathered.Length; i++)
            gathered[i] = bucket[(int)(keys[i] & indexMask)];
        gathered.CopyTo(bucket);
        gathered.Clear();
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

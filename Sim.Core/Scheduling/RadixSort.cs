using System.Buffers;

namespace Sim.Core;

/// <summary>
/// Sorts 64-bit keys, least significant byte first (stable, 8 passes at most, passes whose byte
/// never varies skipped). For the mass-expiry paths of <see cref="TimerQueue"/>: it reads and
/// writes memory in order, where a comparison sort or a heap chases cache misses.
/// </summary>
internal static class RadixSort
{
    private const int Radix = 256;
    private const int Passes = sizeof(ulong);

    /// <summary>Sorts <paramref name="keys"/> ascending, permuting <paramref name="indices"/> alike.</summary>
    public static void Sort(Span<ulong> keys, Span<int> indices)
    {
        var count = keys.Length;
        if (count < 2)
            return;
        var counts = ArrayPool<int>.Shared.Rent(Passes * Radix);
        var spareKeys = ArrayPool<ulong>.Shared.Rent(count);
        var spareIndices = ArrayPool<int>.Shared.Rent(count);
        try
        {
            Array.Clear(counts, 0, Passes * Radix);
            foreach (var key in keys)
            {
                for (var pass = 0; pass < Passes; pass++)
                    counts[pass * Radix + (int)((key >> (pass * 8)) & 0xFF)]++;
            }
            Span<ulong> fromKeys = keys, toKeys = spareKeys.AsSpan(0, count);
            Span<int> fromIndices = indices, toIndices = spareIndices.AsSpan(0, count);
            Span<int> offsets = stackalloc int[Radix];
            for (var pass = 0; pass < Passes; pass++)
            {
                var histogram = counts.AsSpan(pass * Radix, Radix);
                if (histogram[(int)((fromKeys[0] >> (pass * 8)) & 0xFF)] == count)
                    continue;
                var sum = 0;
                for (var digit = 0; digit < Radix; digit++)
                {
                    offsets[digit] = sum;
                    sum += histogram[digit];
                }
                for (var i = 0; i < count; i++)
                {
                    var slot = offsets[(int)((fromKeys[i] >> (pass * 8)) & 0xFF)]++;
                    toKeys[slot] = fromKeys[i];
                    toIndices[slot] = fromIndices[i];
                }
                var swapKeys = fromKeys;
                fromKeys = toKeys;
                toKeys = swapKeys;
                var swapIndices = fromIndices;
                fromIndices = toIndices;
                toIndices = swapIndices;
            }
            if (!fromKeys.Overlaps(keys))
            {
                fromKeys.CopyTo(keys);
                fromIndices.CopyTo(indices);
            }
        }
        finally
        {
            ArrayPool<int>.Shared.Return(counts);
            ArrayPool<ulong>.Shared.Return(spareKeys);
            ArrayPool<int>.Shared.Return(spareIndices);
        }
    }

    /// <summary>
    /// Sorts <paramref name="keys"/> stably on their bits from <paramref name="firstBit"/>
    /// (<paramref name="bitCount"/> of them; the bits above must be 0), using
    /// <paramref name="spare"/> (as long). The bits below carry a payload, such as an index.
    /// </summary>
    public static void SortKeys(Span<ulong> keys, Span<ulong> spare, int firstBit, int bitCount)
    {
        var count = keys.Length;
        if (count < 2 || bitCount == 0)
            return;
        var passes = (bitCount + 7) / 8;
        Span<int> counts = stackalloc int[Passes * Radix];
        counts.Clear();
        foreach (var key in keys)
        {
            var digits = key >> firstBit;
            for (var pass = 0; pass < passes; pass++)
                counts[pass * Radix + (int)((digits >> (pass * 8)) & 0xFF)]++;
        }
        Span<ulong> from = keys, to = spare;
        Span<int> offsets = stackalloc int[Radix];
        for (var pass = 0; pass < passes; pass++)
        {
            var histogram = counts.Slice(pass * Radix, Radix);
            var shift = firstBit + pass * 8;
            if (histogram[(int)((from[0] >> shift) & 0xFF)] == count)
                continue;
            var sum = 0;
            for (var digit = 0; digit < Radix; digit++)
            {
                offsets[digit] = sum;
                sum += histogram[digit];
            }
            foreach (var key in from)
                to[offsets[(int)((key >> shift) & 0xFF)]++] = key;
            var swap = from;
            from = to;
            to = swap;
        }
        if (!from.Overlaps(keys))
            from.CopyTo(keys);
    }
}

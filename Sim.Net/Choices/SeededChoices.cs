namespace Sim.Net;

/// <summary>
/// Our own PRNG (xoshiro256** seeded through SplitMix64): the same seed gives the same numbers
/// on every platform and .NET version, which <see cref="System.Random"/> does not promise.
/// </summary>
public sealed class SeededChoices : IChoiceSource
{
    private ulong _s0, _s1, _s2, _s3;

    /// <summary>The stream of choices that <paramref name="seed"/> names, the same on every platform and .NET version.</summary>
    public SeededChoices(long seed)
    {
        Seed = seed;
        var x = unchecked((ulong)seed);
        _s0 = SplitMix(ref x);
        _s1 = SplitMix(ref x);
        _s2 = SplitMix(ref x);
        _s3 = SplitMix(ref x);
    }

    /// <summary>The seed this source started from.</summary>
    public long Seed { get; }

    /// <summary>The next 64 raw bits.</summary>
    public ulong NextUInt64()
    {
        var result = RotateLeft(_s1 * 5, 7) * 9;
        var t = _s1 << 17;
        _s2 ^= _s0;
        _s3 ^= _s1;
        _s1 ^= _s2;
        _s0 ^= _s3;
        _s2 ^= t;
        _s3 = RotateLeft(_s3, 45);
        return result;
    }

    /// <inheritdoc/>
    public int NextInt(int maxExclusive)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxExclusive);
        // Lemire's multiply-shift with rejection: unbiased, no division in the common case
        // (the threshold is below the bound, so a low half at or above the bound is always kept).
        var bound = (ulong)maxExclusive;
        var product = (UInt128)NextUInt64() * bound;
        if ((ulong)product < bound)
        {
            var threshold = (0UL - bound) % bound;
            while ((ulong)product < threshold)
                product = (UInt128)NextUInt64() * bound;
        }
        return (int)(product >> 64);
    }

    /// <inheritdoc/>
    public double NextDouble() => (NextUInt64() >> 11) * (1.0 / (1UL << 53));

    /// <inheritdoc/>
    public bool NextBool(double probability = 0.5)
    {
        if (double.IsNaN(probability) || probability < 0 || probability > 1)
            throw new ArgumentOutOfRangeException(nameof(probability), probability, "A probability lies in [0, 1].");
        return NextDouble() < probability;
    }

    private static ulong SplitMix(ref ulong x)
    {
        var z = x += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    private static ulong RotateLeft(ulong value, int bits) => (value << bits) | (value >> (64 - bits));
}

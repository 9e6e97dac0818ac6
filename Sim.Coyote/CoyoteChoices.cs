using Microsoft.Coyote.Random;
using Sim.Net;

namespace Sim.Coyote;

/// <summary>
/// Choices decided by Coyote's controlled <see cref="Generator"/>: under a
/// <c>TestingEngine</c> the active strategy picks every value, so an exploration steers the
/// simulation through the alternatives on purpose. Create it inside the test iteration (the
/// generator binds to the Coyote runtime current at creation).
/// </summary>
public sealed class CoyoteChoices : IChoiceSource
{
    /// <summary>
    /// <see cref="NextDouble"/> draws an integer in [0, this) and scales it: 2^24 keeps the
    /// doubles fine-grained (well under a nanosecond of a one-second delay) while a systematic
    /// strategy still sees a finite question.
    /// </summary>
    public const int DoubleResolution = 1 << 24;

    private readonly Generator _generator;

    /// <summary>A source over a new <see cref="Generator"/> of the current Coyote runtime.</summary>
    public CoyoteChoices()
        : this(Generator.Create())
    {
    }

    /// <summary>A source over <paramref name="generator"/>.</summary>
    public CoyoteChoices(Generator generator)
    {
        ArgumentNullException.ThrowIfNull(generator);
        _generator = generator;
    }

    /// <inheritdoc/>
    public int NextInt(int maxExclusive)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxExclusive);
        return maxExclusive == 1 ? 0 : _generator.NextInteger(maxExclusive);
    }

    /// <inheritdoc/>
    public double NextDouble() => _generator.NextInteger(DoubleResolution) / (double)DoubleResolution;

    /// <inheritdoc/>
    public bool NextBool(double probability = 0.5)
    {
        if (double.IsNaN(probability) || probability < 0 || probability > 1)
            throw new ArgumentOutOfRangeException(nameof(probability), probability, "A probability lies in [0, 1].");
        // A fair coin is a binary choice, which systematic strategies handle best; other odds go
        // through the integer grid like NextDouble.
        return probability == 0.5 ? _generator.NextBoolean() : NextDouble() < probability;
    }
}

namespace Sim.Net;

/// <summary>
/// The one seam every nondeterministic decision of a simulation goes through: a seeded PRNG, a
/// replay of a recorded run, or a systematic explorer (Coyote). Same choices, same run.
/// </summary>
public interface IChoiceSource
{
    /// <summary>A uniformly chosen integer in [0, <paramref name="maxExclusive"/>).</summary>
    int NextInt(int maxExclusive);

    /// <summary>A uniformly chosen double in [0, 1).</summary>
    double NextDouble();

    /// <summary>True with probability <paramref name="probability"/>.</summary>
    bool NextBool(double probability = 0.5);
}

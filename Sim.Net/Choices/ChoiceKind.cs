namespace Sim.Net;

/// <summary>Which <see cref="IChoiceSource"/> method a recorded choice answered.</summary>
public enum ChoiceKind
{
    /// <summary><see cref="IChoiceSource.NextInt"/>: the bound is the exclusive maximum.</summary>
    Int,

    /// <summary><see cref="IChoiceSource.NextDouble"/>: the bound is always 1.</summary>
    Double,

    /// <summary><see cref="IChoiceSource.NextBool"/>: the bound is the probability of true.</summary>
    Bool,
}

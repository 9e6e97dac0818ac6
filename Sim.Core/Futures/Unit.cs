namespace Sim.Core;

/// <summary>The result type of futures and tasks that produce no value.</summary>
public readonly record struct Unit
{
    /// <summary>The only value.</summary>
    public static Unit Value => default;

    /// <inheritdoc/>
    public override string ToString() => "None";
}

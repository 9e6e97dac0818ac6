using Sim.Net;

namespace Sim.Coyote;

/// <summary>How a <see cref="CoyoteExplorer"/> exploration runs. Every default says why.</summary>
public sealed record ExplorationOptions
{
    /// <summary>The strategy choosing each iteration's choices. Random by default: no assumptions.</summary>
    public ExplorationStrategy Strategy { get; init; } = ExplorationStrategy.Random;

    /// <summary>Iterations (runs of the scenario) at most; the exploration stops at the first
    /// failure. 1,000: a few hundred milliseconds for a small scenario, and enough to hit a
    /// combination of three choices out of a few hundred with near certainty.</summary>
    public uint IterationsMax { get; init; } = 1_000;

    /// <summary>The seed of Coyote's own random generator, so an exploration repeats exactly.
    /// Coyote seeds iteration k with this + k - 1, so seeds next to each other explore shifted
    /// copies of the same iterations: to explore others, move it by more than
    /// <see cref="IterationsMax"/>. 0 by default: reproducible unless asked otherwise.</summary>
    public uint StrategySeed { get; init; }

    /// <summary>Choices per iteration at most (Coyote's scheduling steps bound): past it Coyote
    /// abandons the iteration. 1,000,000: far above a unit-test scenario, small enough that a
    /// runaway program ends.</summary>
    public uint ChoicesPerIterationMax { get; init; } = 1_000_000;

    /// <summary>The options of each iteration's <see cref="Simulation"/>; the loop's log is
    /// silenced by default since an exploration runs many failing iterations.</summary>
    public SimulationOptions SimulationOptions { get; init; } = new() { Log = TextWriter.Null };
}

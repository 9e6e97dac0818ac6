namespace Sim.Coyote;

/// <summary>
/// How Coyote's <c>TestingEngine</c> picks the choices of each iteration.
/// </summary>
/// <remarks>
/// To Coyote a simulation is a single controlled operation making data choices (scheduling is
/// the simulation's own, decided by those choices). In Coyote 1.7.11 the random, prioritization
/// and probabilistic strategies all draw data choices uniformly from the same seeded generator,
/// so on a simulation alone they explore the same iterations for the same
/// <see cref="ExplorationOptions.StrategySeed"/>; they part ways only when the scenario also runs
/// Coyote-controlled concurrency. (Coyote's depth-first strategy, which would enumerate the
/// choices, is not public in 1.7.11.)
/// </remarks>
public enum ExplorationStrategy
{
    /// <summary>Every choice uniformly at random (<c>WithRandomStrategy</c>).</summary>
    Random,

    /// <summary>Priority-based scheduling with a bounded number of priority changes
    /// (<c>WithPrioritizationStrategy</c>); data choices are random.</summary>
    Prioritization,

    /// <summary>Random choices, biased to keep the running operation when scheduling
    /// (<c>WithProbabilisticStrategy</c>).</summary>
    Probabilistic,
}

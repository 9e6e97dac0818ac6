namespace Sim.Tests.Infrastructure;

/// <summary>
/// Tests that count process-wide resources (open descriptors) or load the machine: xunit runs
/// this collection alone, after the parallel ones, so other tests neither disturb nor suffer them.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class SoloCollection
{
    public const string Name = "Solo";
}

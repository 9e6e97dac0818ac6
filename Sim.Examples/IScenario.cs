using Sim.Net;

namespace Sim.Examples;

/// <summary>A program the runner can run for any seed in a fresh simulation.</summary>
public interface IScenario
{
    /// <summary>The name on the command line.</summary>
    string Name { get; }

    /// <summary>One line saying what the scenario exercises.</summary>
    string Description { get; }

    /// <summary>
    /// The network the scenario runs on: the faults it switches on (latencies, chunking, datagram
    /// loss, duplication, reordering). The runner and the tests build each seed's simulation with
    /// it. By default the network's own defaults: seeded latency and chunking, no datagram faults.
    /// </summary>
    NetworkOptions Network => new();

    /// <summary>
    /// Runs the scenario to completion in <paramref name="simulation"/> and returns its one-line
    /// summary. Throws when an invariant of the scenario is broken: that is a failing seed.
    /// </summary>
    string Run(Simulation simulation);
}

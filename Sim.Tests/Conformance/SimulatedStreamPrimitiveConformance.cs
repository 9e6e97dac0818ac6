using Sim.Core;
using Sim.Net;

namespace Sim.Tests.Conformance;

/// <summary>The primitive contract on the simulated network: it must answer as real sockets do.</summary>
[Trait("Category", "Conformance")]
public sealed class SimulatedStreamPrimitiveConformance : StreamPrimitiveConformance
{
    protected override EventLoop? CreateLoop() => new Simulation(3, new SimulationOptions { Log = TextWriter.Null }).Loop;
}

using Sim.Core;
using Sim.Net;

namespace Sim.Tests.Conformance;

/// <summary>The socket API suite on the simulated network.</summary>
public sealed class SimulatedSocketApiConformance : SocketApiConformance
{
    protected override EventLoop CreateLoop() =>
        new Simulation(seed: 11, new SimulationOptions { Log = TextWriter.Null }).Loop;
}

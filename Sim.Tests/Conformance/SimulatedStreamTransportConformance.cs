using Sim.Core;
using Sim.Net;

namespace Sim.Tests.Conformance;

/// <summary>The conformance suite on the simulated network (virtual time, seeded chunking and latency).</summary>
public sealed class SimulatedStreamTransportConformance : StreamTransportConformance
{
    protected override EventLoop CreateLoop() =>
        new Simulation(seed: 42, new SimulationOptions { Log = TextWriter.Null }).Loop;
}

/// <summary>The same suite over IPv6 addresses, with another seed.</summary>
public sealed class SimulatedIPv6StreamTransportConformance : StreamTransportConformance
{
    protected override string Host => "::1";

    protected override EventLoop CreateLoop() =>
        new Simulation(seed: 7, new SimulationOptions { Log = TextWriter.Null }).Loop;
}

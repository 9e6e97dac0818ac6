using Sim.Core;
using Sim.Net;

namespace Sim.Tests.Conformance;

/// <summary>The datagram suite on the simulated network, without faults (no loss, duplication or jitter).</summary>
public sealed class SimulatedDatagramConformance : DatagramConformance
{
    protected override EventLoop CreateLoop() => new Simulation(seed: 11, new SimulationOptions { Log = TextWriter.Null }).Loop;
}

/// <summary>The same suite over IPv6 addresses, with another seed.</summary>
public sealed class SimulatedIPv6DatagramConformance : DatagramConformance
{
    protected override string Host => "::1";

    protected override EventLoop CreateLoop() => new Simulation(seed: 12, new SimulationOptions { Log = TextWriter.Null }).Loop;
}

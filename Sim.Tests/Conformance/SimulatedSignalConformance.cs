using Sim.Core;
using Sim.Net;

namespace Sim.Tests.Conformance;

/// <summary>The signal suite on the simulated backend: signals come from <see cref="Simulation.SendSignal(int)"/>.</summary>
public sealed class SimulatedSignalConformance : SignalConformance
{
    private Simulation? _simulation;

    protected override EventLoop CreateLoop()
    {
        _simulation = new Simulation(seed: 5, new SimulationOptions { Log = TextWriter.Null });
        return _simulation.Loop;
    }

    protected override void Raise(int signum) => _simulation!.SendSignal(signum);
}

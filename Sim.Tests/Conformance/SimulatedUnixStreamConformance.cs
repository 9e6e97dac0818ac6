using Sim.Core;
using Sim.Net;

namespace Sim.Tests.Conformance;

/// <summary>The Unix-domain stream suite on the simulated network, in the default host's file namespace.</summary>
public sealed class SimulatedUnixStreamConformance : UnixStreamConformance
{
    private Simulation? _simulation;

    protected override EventLoop CreateLoop()
    {
        _simulation = new Simulation(seed: 17, new SimulationOptions { Log = TextWriter.Null });
        return _simulation.Loop;
    }

    protected override string DirectoryFor(string test) => "/run/" + test;

    protected override bool FileExists(EventLoop loop, string path) => _simulation!.Network.DefaultHost.PathExists(path);

    protected override void CreatePlainFile(EventLoop loop, string path) => _simulation!.Network.DefaultHost.CreateFile(path);
}

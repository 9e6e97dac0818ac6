using Sim.Core;
using Sim.Net;

namespace Sim.Tests.Infrastructure;

/// <summary>Loops for tests: simulated (virtual time, no waiting) unless a test needs real time.</summary>
internal static class TestLoops
{
    public static Simulation NewSimulation(long seed = 1, TextWriter? log = null, bool debug = false) =>
        new(seed, new SimulationOptions { Log = log ?? TextWriter.Null, Debug = debug });

    public static EventLoop NewLoop(TextWriter? log = null, bool debug = false) => NewSimulation(1, log, debug).Loop;
}

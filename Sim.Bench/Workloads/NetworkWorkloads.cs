using System.Diagnostics;
using Sim.Core;
using Sim.Net;

namespace Sim.Bench.Workloads;

/// <summary>
/// Issue 4's benchmarks on the simulated network: echo round trips per second of wall time, and
/// how much virtual time a timer-heavy program covers per second of wall time.
/// </summary>
internal static class NetworkWorkloads
{
    // The real echo comparison's shape: 10 connections, 1 KiB messages.
    private const int Connections = 10;
    private const int MessageSize = 1024;

    public static bool Knows(string workload) => workload is "simecho" or "simecho-whole" or "simecho-traced" or "virtualtime";

    /// <summary>
    /// Runs <paramref name="workload"/>. "simecho" runs on <paramref name="loop"/>, the harness's
    /// simulation: default network faults (seeded latency 50 µs to 2 ms and chunk sizes up to
    /// 4 KiB), choices recorded (the first million), trace events for callbacks and segments off.
    /// "simecho-whole" is "simecho" with the chunking fault off (latency still drawn): each send
    /// travels as one segment of up to 64 KiB, so a message arrives whole.
    /// "simecho-traced" is the same as "simecho" on a simulation of its own with every trace event
    /// on (the defaults of <see cref="SimulationOptions"/>).
    /// </summary>
    public static void Run(string workload, EventLoop loop, int n)
    {
        switch (workload)
        {
            case "simecho": loop.RunUntilComplete(Echo(n)); break;
            case "simecho-whole": WholeSends().RunUntilComplete(Echo(n)); break;
            case "simecho-traced": new Simulation(1).RunUntilComplete(Echo(n)); break;
            case "virtualtime": loop.RunUntilComplete(TimerHeavy(n)); break;
            default: throw new ArgumentException($"unknown workload '{workload}'");
        }
    }

    /// <summary>The harness's simulation options (see LoopWorkloads.NewLoop) with chunking off.</summary>
    private static Simulation WholeSends() => new(1, new SimulationOptions
    {
        TraceCallbacks = false,
        Network = new NetworkOptions { TraceSegments = false, ChunkSizeMin = 64 * 1024, ChunkSizeMax = 64 * 1024 },
    });

    /// <summary>n round trips in all, spread over 10 connections, each a 1 KiB message echoed whole.</summary>
    private static async Coroutine Echo(int n)
    {
        var loop = Asyncio.GetRunningLoop();
        var server = await loop.CreateServer(() => new EchoProtocol(), "127.0.0.1", 7000);
        var clients = new Coroutine<int>[Connections];
        for (var c = 0; c < Connections; c++)
            clients[c] = Client(loop, n / Connections);
        await Asyncio.Gather(clients);
        server.Close();
    }

    private static async Coroutine<int> Client(EventLoop loop, int roundTrips)
    {
        var message = new byte[MessageSize];
        var (transport, protocol) = await loop.CreateConnection(() => new CountingProtocol(loop), "127.0.0.1", 7000);
        for (var i = 0; i < roundTrips; i++)
        {
            protocol.Expect(MessageSize);
            transport.Write(message);
            await protocol.Arrived!;
        }
        transport.Close();
        return roundTrips;
    }

    /// <summary>n tasks each sleeping 100 times for seeded random delays: virtual seconds per wall second.</summary>
    private static async Coroutine TimerHeavy(int n)
    {
        var random = new SeededChoices(7);
        async Coroutine<int> Sleeper()
        {
            for (var i = 0; i < 100; i++)
                await Asyncio.Sleep(random.NextDouble());
            return 0;
        }
        var sleepers = new Coroutine<int>[n];
        for (var i = 0; i < n; i++)
            sleepers[i] = Sleeper();
        await Asyncio.Gather(sleepers);
    }

    /// <summary>Measures the virtual-to-wall time ratio of <see cref="TimerHeavy"/>.</summary>
    public static double VirtualToWallRatio(int tasks)
    {
        var simulation = new Simulation(1, new SimulationOptions { TraceCallbacks = false });
        var wall = Stopwatch.StartNew();
        simulation.Loop.RunUntilComplete(TimerHeavy(tasks));
        return simulation.Loop.Time() / wall.Elapsed.TotalSeconds;
    }

    private sealed class EchoProtocol : Protocol
    {
        public override void DataReceived(ReadOnlySpan<byte> data) => Transport!.Write(data);
    }

    private sealed class CountingProtocol(EventLoop loop) : Protocol
    {
        private int _missing;

        public Future<Unit>? Arrived { get; private set; }

        public void Expect(int bytes)
        {
            _missing = bytes;
            Arrived = loop.CreateFuture<Unit>();
        }

        public override void DataReceived(ReadOnlySpan<byte> data)
        {
            _missing -= data.Length;
            if (_missing == 0)
                Arrived!.SetResult(Unit.Value);
        }
    }
}

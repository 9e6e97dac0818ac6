using BenchmarkDotNet.Attributes;
using Sim.Bench.Workloads;
using Sim.Core;

namespace Sim.Bench;

/// <summary>The loop micro-benchmarks under BenchmarkDotNet, on the simulated backend.</summary>
[MemoryDiagnoser]
public class LoopBenchmarks
{
    private EventLoop _loop = null!;

    [Params(100_000)]
    public int N { get; set; }

    [IterationSetup]
    public void NewLoop() => _loop = LoopWorkloads.NewLoop();

    [Benchmark]
    public void CallSoonChain() => LoopWorkloads.Chain(_loop, N);

    [Benchmark]
    public void CallSoonBatch() => LoopWorkloads.Batch(_loop, N);

    [Benchmark]
    public void Timers() => LoopWorkloads.Timers(_loop, N);

    [Benchmark]
    public void TaskPingPong() => LoopWorkloads.PingPong(_loop, N);
}

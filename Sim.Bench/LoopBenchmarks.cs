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

/// <summary>The echo servers' own path per message, without the kernel (see <see cref="StreamWorkloads"/>):
/// BenchmarkDotNet's memory diagnoser reports what each path allocates (none for the protocol and
/// <c>ReadInto</c> paths in the steady state, the returned array for <c>Read</c>).</summary>
[MemoryDiagnoser]
public class EchoPathBenchmarks
{
    private EventLoop _loop = null!;

    [Params(100_000)]
    public int Messages { get; set; }

    [IterationSetup]
    public void NewLoop() => _loop = LoopWorkloads.NewLoop();

    [Benchmark(Baseline = true)]
    public void Protocol() => StreamWorkloads.Run("echopath-proto", _loop, Messages);

    [Benchmark]
    public void StreamsRead() => StreamWorkloads.Run("echopath-streams", _loop, Messages);

    [Benchmark]
    public void StreamsReadInto() => StreamWorkloads.Run("echopath-into", _loop, Messages);
}

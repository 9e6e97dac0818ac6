using System.Diagnostics;
using System.Globalization;
using BenchmarkDotNet.Running;
using Sim.Bench.Workloads;
using Sim.Core;

// Sim.Bench micro WORKLOAD N   -> "simloop WORKLOAD <ops/s> ops/s" (the format of loop_micro.py);
//                                 WORKLOAD is one of loop_micro.py's or bench/toolkit_micro.py's
// Sim.Bench echo MODE [BACKEND] PORT -> an echo server for run_echo_anchors.sh (MODE proto|streams|streams-into,
//                                 BACKEND auto|epoll|portable); prints "ready"
// Sim.Bench memory              -> allocation per CallSoon and retained bytes per sleeping task
// Sim.Bench alloc [BACKEND [CONNECTIONS [MESSAGES [SIZE]]]] -> managed bytes per connection at rest and
//                                 per echoed message on the protocol echo server (epoll 1000 100000 1024)
// Sim.Bench bdn [BDN args]      -> the BenchmarkDotNet suites
switch (args)
{
    case ["micro", var workload, var count]:
    {
        var n = int.Parse(count, CultureInfo.InvariantCulture);
        Action<EventLoop, int> run =
            ToolkitWorkloads.Knows(workload) ? (loop, size) => ToolkitWorkloads.Run(workload, loop, size)
            : NetworkWorkloads.Knows(workload) ? (loop, size) => NetworkWorkloads.Run(workload, loop, size)
            : StreamWorkloads.Knows(workload) ? (loop, size) => StreamWorkloads.Run(workload, loop, size)
            : (loop, size) => LoopWorkloads.Run(workload, loop, size);
        // Warm up for a second on loops of their own, so tiered JIT has promoted the hot paths
        // (its 100 ms quiet-period delay included): the measurement is of the steady state.
        var warmUp = Stopwatch.StartNew();
        while (warmUp.Elapsed < TimeSpan.FromSeconds(1))
            run(LoopWorkloads.NewLoop(), Math.Min(n, 100_000));
        var loop = LoopWorkloads.NewLoop();
        var clock = Stopwatch.StartNew();
        run(loop, n);
        var seconds = clock.Elapsed.TotalSeconds;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"simloop {workload} {n / seconds:0} ops/s"));
        return 0;
    }
    case ["echo", var mode, var port]:
        return Sim.Bench.EchoServer.Run(mode, Sim.Real.RealBackendKind.Auto, int.Parse(port, CultureInfo.InvariantCulture));
    case ["echo", var mode, var backend, var port]:
        return Sim.Bench.EchoServer.Run(mode, Enum.Parse<Sim.Real.RealBackendKind>(backend, ignoreCase: true), int.Parse(port, CultureInfo.InvariantCulture));
    case ["memory"]:
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"bytes allocated per CallSoon(state): {MemoryProbes.BytesPerCallSoon(1_000_000):0.00}"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"bytes retained per sleeping task (100,000 tasks): {MemoryProbes.BytesPerSleepingTask(100_000):0}"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"bytes allocated per gathered coroutine (Gather of 100,000): {MemoryProbes.BytesPerGatheredCoroutine(100_000):0}"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"virtual seconds per wall second (10,000 tasks x 100 random sleeps): {NetworkWorkloads.VirtualToWallRatio(10_000):0}"));
        return 0;
    case ["alloc", .. var rest]:
    {
        var backend = rest.Length > 0 ? Enum.Parse<Sim.Real.RealBackendKind>(rest[0], ignoreCase: true) : Sim.Real.RealBackendKind.Epoll;
        int Argument(int index, int fallback) => rest.Length > index ? int.Parse(rest[index], CultureInfo.InvariantCulture) : fallback;
        return Sim.Bench.AllocationProbe.Run(backend, Argument(1, 1_000), Argument(2, 100_000), Argument(3, 1_024));
    }
    case ["bdn", .. var rest]:
        BenchmarkSwitcher.FromAssembly(typeof(Sim.Bench.LoopBenchmarks).Assembly).Run(rest);
        return 0;
    default:
        Console.Error.WriteLine("usage: Sim.Bench micro WORKLOAD N | echo {proto|streams|streams-into} [auto|epoll|portable] PORT | memory | alloc [BACKEND [CONNECTIONS [MESSAGES [SIZE]]]] | bdn [BenchmarkDotNet args]");
        return 2;
}

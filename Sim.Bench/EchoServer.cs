using System.Runtime.InteropServices;
using Sim.Core;
using Sim.Real;

namespace Sim.Bench;

/// <summary>
/// The echo server of ../shared/bench/echo_server.py on SimLoop's real loop, for
/// run_echo_anchors.sh: it listens on 127.0.0.1:PORT and prints "ready". Modes: proto (a
/// protocol writing back what it receives), streams (the Python handler's loop: Read(100 KiB),
/// Write, Drain), streams-into (the same loop with ReadInto and one 100 KiB buffer per
/// connection, so reading allocates nothing).
/// </summary>
internal static class EchoServer
{
    // The stream handler reads up to 100 KiB at a time, as the Python anchor does.
    internal const int ReadSizeMax = 102_400;

    public static int Run(string mode, RealBackendKind backend, int port)
    {
        if (mode is not ("proto" or "streams" or "streams-into"))
            throw new ArgumentException($"echo mode is proto, streams or streams-into, not '{mode}'");
        // The collections a run cost, for comparing allocation strategies: printed when the
        // script stops the server (SIGTERM), which then ends as it would have.
        using var report = PosixSignalRegistration.Create(PosixSignal.SIGTERM, _ => Console.Error.WriteLine(
            $"gc collections: gen0 {GC.CollectionCount(0)}, gen1 {GC.CollectionCount(1)}, gen2 {GC.CollectionCount(2)}, paused {GC.GetTotalPauseDuration().TotalMilliseconds:0} ms; allocated {GC.GetTotalAllocatedBytes() >> 20} MiB; last ephemeral collection promoted {GC.GetGCMemoryInfo(GCKind.Ephemeral).PromotedBytes >> 10} KiB, gen0 held {Gen0SizeBeforeLastCollectionKiB()} KiB when it began"));
        RealLoop.Run(() => Serve(mode, port), backend);
        return 0;
    }

    // How much gen0 held when the last collection began: about the gen0 budget the runtime chose
    // (it grows with the cache size the machine reports), so how far apart in memory, and how cold,
    // the arrays a Read(n) echo allocates are.
    private static long Gen0SizeBeforeLastCollectionKiB() =>
        GC.GetGCMemoryInfo(GCKind.Any).GenerationInfo[0].SizeBeforeBytes >> 10;

    private static async Coroutine<int> Serve(string mode, int port)
    {
        var loop = Asyncio.GetRunningLoop();
        var server = mode switch
        {
            "proto" => await loop.CreateServer(() => new EchoProtocol(), "127.0.0.1", port),
            "streams" => await Asyncio.StartServer(Handle, "127.0.0.1", port),
            _ => await Asyncio.StartServer(HandleInto, "127.0.0.1", port),
        };
        Console.WriteLine("ready");
        await server.ServeForever();
        return 0;
    }

    internal static async Coroutine Handle(Sim.Core.StreamReader reader, Sim.Core.StreamWriter writer)
    {
        while (true)
        {
            var data = await reader.Read(ReadSizeMax);
            if (data.Length == 0)
                break;
            writer.Write(data);
            await writer.Drain();
        }
        writer.Close();
    }

    internal static async Coroutine HandleInto(Sim.Core.StreamReader reader, Sim.Core.StreamWriter writer)
    {
        var buffer = new byte[ReadSizeMax];
        while (true)
        {
            var count = await reader.ReadInto(buffer);
            if (count == 0)
                break;
            writer.Write(buffer.AsSpan(0, count));
            await writer.Drain();
        }
        writer.Close();
    }

    internal sealed class EchoProtocol : Protocol
    {
        public override void DataReceived(ReadOnlySpan<byte> data) => Transport!.Write(data);
    }
}

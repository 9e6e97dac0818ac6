using Sim.Core;
using Sim.Real;

namespace Sim.Bench;

/// <summary>
/// The echo server of ../shared/bench/echo_server.py on SimLoop's real loop, protocol-based or
/// stream-based, for run_echo_anchors.sh: it listens on 127.0.0.1:PORT and prints "ready".
/// </summary>
internal static class EchoServer
{
    // The stream handler reads up to 100 KiB at a time, as the Python anchor does.
    private const int ReadSizeMax = 102_400;

    public static int Run(string mode, RealBackendKind backend, int port)
    {
        if (mode is not ("proto" or "streams"))
            throw new ArgumentException($"echo mode is proto or streams, not '{mode}'");
        RealLoop.Run(() => Serve(mode, port), backend);
        return 0;
    }

    private static async Coroutine<int> Serve(string mode, int port)
    {
        var loop = Asyncio.GetRunningLoop();
        var server = mode == "proto"
            ? await loop.CreateServer(() => new EchoProtocol(), "127.0.0.1", port)
            : await Asyncio.StartServer(Handle, "127.0.0.1", port);
        Console.WriteLine("ready");
        await server.ServeForever();
        return 0;
    }

    private static async Coroutine Handle(Sim.Core.StreamReader reader, Sim.Core.StreamWriter writer)
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

    private sealed class EchoProtocol : Protocol
    {
        public override void DataReceived(ReadOnlySpan<byte> data) => Transport!.Write(data);
    }
}

using System.Net;
using System.Net.Sockets;
using Sim.Core;

namespace Sim.Tests.Golden;

/// <summary>C# twins of the network error and flow-control scenarios (Scenarios/net_05, net_06).</summary>
internal static class NetworkErrorScenarios
{
    private const string Loopback = "127.0.0.1";

    private static int PortOf(Server server) => ((IPEndPoint)server.Sockets[0]).Port;

    private static string PythonName(Exception error) => error switch
    {
        SocketException { SocketErrorCode: SocketError.ConnectionRefused } => "ConnectionRefusedError",
        SocketException { SocketErrorCode: SocketError.ConnectionReset } => "ConnectionResetError",
        _ => GoldenContext.PythonName(error),
    };

    private sealed class Recorder(EventLoop loop, bool pause = false) : IProtocol
    {
        public List<string> Events { get; } = [];

        public List<byte> Data { get; } = [];

        public List<bool> Pauses { get; } = [];

        public Future<bool> Resumed { get; } = loop.CreateFuture<bool>();

        public Future<Exception?> Lost { get; } = loop.CreateFuture<Exception?>();

        public ITransport Transport { get; private set; } = null!;

        public void ConnectionMade(ITransport transport)
        {
            Transport = transport;
            Events.Add("connection_made");
            if (pause)
                transport.PauseReading();
        }

        public void DataReceived(ReadOnlySpan<byte> data)
        {
            if (Events[^1] != "data_received")
                Events.Add("data_received");
            Data.AddRange(data);
        }

        public bool EofReceived()
        {
            Events.Add("eof_received");
            return false;
        }

        public void ConnectionLost(Exception? exception)
        {
            Events.Add($"connection_lost({(exception is null ? "None" : PythonName(exception))})");
            Lost.SetResult(exception);
        }

        public void PauseWriting() => Pauses.Add(Transport.GetWriteBufferSize() > 64 * 1024);

        public void ResumeWriting() => Resumed.SetResult(Transport.GetWriteBufferSize() <= 16 * 1024);
    }

    [Golden("net_05_refused_and_reset")]
    public static void RefusedAndReset(GoldenContext g)
    {
        var loop = g.Loop;
        async Coroutine Main()
        {
            var probe = await loop.CreateServer(() => new Recorder(loop), Loopback, 0);
            var port = PortOf(probe);
            probe.Close();
            await probe.WaitClosed();
            try
            {
                await loop.CreateConnection(() => new Recorder(loop), Loopback, port);
            }
            catch (SocketException e)
            {
                g.Print("connect to closed port:", PythonName(e));
            }

            var servers = new List<Recorder>();
            var server = await loop.CreateServer(() =>
            {
                servers.Add(new Recorder(loop, pause: true));
                return servers[^1];
            }, Loopback, 0);
            var (transport, client) = await loop.CreateConnection(() => new Recorder(loop), Loopback, PortOf(server));
            transport.Write("never read"u8);
            await Asyncio.Sleep(0.2);
            g.Print("server reading:", servers[0].Transport.IsReading);
            servers[0].Transport.Close();
            await client.Lost;
            await servers[0].Lost;
            g.Print("client events:", client.Events);
            g.Print("server events:", servers[0].Events);

            async Coroutine Handle(Sim.Core.StreamReader reader, Sim.Core.StreamWriter writer)
            {
                writer.Transport.PauseReading();
                await Asyncio.Sleep(0.2);
                writer.Close();
            }
            var streamServer = await Asyncio.StartServer(Handle, Loopback, 0);
            var (streamReader, streamWriter) = await Asyncio.OpenConnection(Loopback, PortOf(streamServer));
            streamWriter.Write("unread"u8);
            try
            {
                await streamReader.Read();
            }
            catch (SocketException e)
            {
                g.Print("read:", PythonName(e));
            }
            try
            {
                await streamWriter.Drain();
            }
            catch (SocketException e)
            {
                g.Print("drain:", PythonName(e));
            }
            server.Close();
            streamServer.Close();
            await server.WaitClosed();
            await streamServer.WaitClosed();
        }
        loop.RunUntilComplete(Main());
    }

    [Golden("net_06_server_close_and_flow_control")]
    public static void ServerCloseAndFlowControl(GoldenContext g)
    {
        var loop = g.Loop;
        static string Limits((int Low, int High) limits) => $"({limits.Low}, {limits.High})";
        async Coroutine Main()
        {
            var servers = new List<Recorder>();
            var server = await loop.CreateServer(() =>
            {
                servers.Add(new Recorder(loop, pause: true));
                return servers[^1];
            }, Loopback, 0);
            var port = PortOf(server);
            g.Print("serving:", server.IsServing);
            var (transport, client) = await loop.CreateConnection(() => new Recorder(loop), Loopback, port);
            server.Close();
            g.Print("serving after close:", server.IsServing, "sockets:", server.Sockets.Count);
            try
            {
                await loop.CreateConnection(() => new Recorder(loop), Loopback, port);
            }
            catch (SocketException e)
            {
                g.Print("connect after close:", PythonName(e));
            }

            g.Print("limits:", Limits(transport.GetWriteBufferLimits()));
            transport.SetWriteBufferLimits(high: 1000);
            g.Print("high only:", Limits(transport.GetWriteBufferLimits()));
            transport.SetWriteBufferLimits(low: 100);
            g.Print("low only:", Limits(transport.GetWriteBufferLimits()));
            try
            {
                transport.SetWriteBufferLimits(high: 10, low: 20);
            }
            catch (ArgumentOutOfRangeException)
            {
                g.Print("high below low:", "ValueError");
            }
            transport.SetWriteBufferLimits();
            g.Print("defaults again:", Limits(transport.GetWriteBufferLimits()));

            const int total = 32 * 1024 * 1024;
            transport.Write(new byte[total]);
            g.Print("pause_writing calls:", client.Pauses);
            await Asyncio.Sleep(0.2);
            g.Print("still paused:", !client.Resumed.Done);
            servers[0].Transport.ResumeReading();
            g.Print("resumed at or below low water:", await client.Resumed);
            transport.Close();
            g.Print("client lost with:", await client.Lost);
            while (servers[0].Data.Count < total)
                await Asyncio.Sleep(0.01);
            g.Print("server received all:", servers[0].Data.Count);
            servers[0].Transport.Close();
            await servers[0].Lost;
            await server.WaitClosed();
        }
        loop.RunUntilComplete(Main());
    }
}

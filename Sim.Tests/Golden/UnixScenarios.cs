using System.Net.Sockets;
using System.Text;
using Sim.Core;
using Sim.Net;

namespace Sim.Tests.Golden;

/// <summary>C# twin of the Unix-domain socket scenario (Scenarios/net_07), in the simulated host's
/// file namespace.</summary>
internal static class UnixScenarios
{
    private const string Directory = "/run/golden";

    private static string PythonName(Exception error) => error switch
    {
        SocketException { SocketErrorCode: SocketError.AddressNotAvailable } => "FileNotFoundError",
        SocketException { SocketErrorCode: SocketError.ConnectionRefused } => "ConnectionRefusedError",
        SocketException { SocketErrorCode: SocketError.AddressAlreadyInUse } => "OSError 98",
        _ => GoldenContext.PythonName(error),
    };

    private sealed class Recorder(EventLoop loop, bool echo = false) : IProtocol
    {
        public List<string> Events { get; } = [];

        public List<byte> Data { get; } = [];

        public Future<Exception?> Lost { get; } = loop.CreateFuture<Exception?>();

        public ITransport Transport { get; private set; } = null!;

        public void ConnectionMade(ITransport transport)
        {
            Transport = transport;
            Events.Add("connection_made");
        }

        public void DataReceived(ReadOnlySpan<byte> data)
        {
            if (Events[^1] != "data_received")
                Events.Add("data_received");
            Data.AddRange(data);
            if (echo)
                Transport.Write(data);
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

        public void PauseWriting()
        {
        }

        public void ResumeWriting()
        {
        }
    }

    [Golden("net_07_unix_sockets")]
    public static void UnixSockets(GoldenContext g)
    {
        var loop = g.Loop;
        var host = ((SimBackend)loop.Backend).Simulation.Network.DefaultHost;
        var path = Directory + "/echo.sock";
        async Coroutine Main()
        {
            try
            {
                await loop.CreateUnixConnection(() => new Recorder(loop), path);
            }
            catch (SocketException e)
            {
                g.Print("connect to a missing path:", PythonName(e));
            }

            var servers = new List<Recorder>();
            Recorder Factory()
            {
                servers.Add(new Recorder(loop, echo: true));
                return servers[^1];
            }
            // CPython 3.11 has no cleanup_socket: its servers leave their socket file behind.
            var server = await loop.CreateUnixServer(Factory, path, cleanupSocket: false);
            g.Print("server listens on the path:", server.Sockets[0].Equals(new UnixEndPoint(path)));
            var (transport, client) = await loop.CreateUnixConnection(() => new Recorder(loop), path);
            g.Print("client peername is the path:", path.Equals(transport.GetExtraInfo("peername")));
            g.Print("client sockname:", GoldenContext.Repr(transport.GetExtraInfo("sockname")));
            transport.Write("hello"u8);
            transport.WriteEof();
            await client.Lost;
            await servers[0].Lost;
            g.Print("client events:", client.Events);
            g.Print("client received:", Encoding.ASCII.GetString(client.Data.ToArray()));
            g.Print("server events:", servers[0].Events);
            g.Print("server sockname is the path:", path.Equals(servers[0].Transport.GetExtraInfo("sockname")));
            g.Print("server peername:", GoldenContext.Repr(servers[0].Transport.GetExtraInfo("peername")));
            server.Close();
            await server.WaitClosed();

            g.Print("socket file after close:", host.PathExists(path));
            try
            {
                await loop.CreateUnixConnection(() => new Recorder(loop), path);
            }
            catch (SocketException e)
            {
                g.Print("connect to the stale file:", PythonName(e));
            }

            var plain = Directory + "/plain";
            host.CreateFile(plain);
            try
            {
                await loop.CreateUnixServer(Factory, plain, cleanupSocket: false);
            }
            catch (SocketException e)
            {
                g.Print("server on a regular file:", PythonName(e));
            }

            server = await loop.CreateUnixServer(Factory, path, cleanupSocket: false);
            var (reader, writer) = await Asyncio.OpenUnixConnection(path);
            writer.Write("again\n"u8);
            g.Print("stream echo:", Encoding.ASCII.GetString(await reader.ReadLine()).Trim());
            writer.Close();
            await writer.WaitClosed();
            await servers[^1].Lost;
            g.Print("stream server events:", servers[^1].Events);
            server.Close();
            await server.WaitClosed();
            host.RemovePath(path);
            host.RemovePath(plain);
        }
        loop.RunUntilComplete(Main());
    }
}

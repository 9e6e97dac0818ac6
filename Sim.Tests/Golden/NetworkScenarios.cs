using System.Net;
using System.Net.Sockets;
using System.Text;
using Sim.Core;

namespace Sim.Tests.Golden;

/// <summary>C# twins of the network scenarios (Scenarios/net_*): CPython runs them on real
/// 127.0.0.1 sockets, the twins on the simulated network; what user code sees must be the same.</summary>
internal static class NetworkScenarios
{
    private const string Loopback = "127.0.0.1";

    /// <summary>Python's repr of bytes: <c>b'alpha\n'</c>.</summary>
    public static string PyBytes(byte[] data)
    {
        var text = new StringBuilder("b'");
        foreach (var b in data)
        {
            text.Append(b switch
            {
                (byte)'\n' => "\\n",
                (byte)'\r' => "\\r",
                (byte)'\t' => "\\t",
                (byte)'\\' => "\\\\",
                (byte)'\'' => "\\'",
                >= 32 and < 127 => ((char)b).ToString(),
                _ => $"\\x{b:x2}",
            });
        }
        return text.Append('\'').ToString();
    }

    private static byte[] Ascii(string text) => Encoding.ASCII.GetBytes(text);

    private static int PortOf(Server server) => ((IPEndPoint)server.Sockets[0]).Port;

    /// <summary>The name CPython gives a socket error.</summary>
    private static string PythonName(Exception error) => error switch
    {
        SocketException { SocketErrorCode: SocketError.ConnectionRefused } => "ConnectionRefusedError",
        SocketException { SocketErrorCode: SocketError.ConnectionReset } => "ConnectionResetError",
        _ => GoldenContext.PythonName(error),
    };

    /// <summary>The recorder of net_01/net_02: events with data_received merged.</summary>
    private class Recorder(EventLoop loop) : IProtocol
    {
        public List<string> Events { get; } = [];

        public List<byte> Data { get; } = [];

        public Future<Unit> Lost { get; } = loop.CreateFuture<Unit>();

        public ITransport Transport { get; private set; } = null!;

        public void ConnectionMade(ITransport transport)
        {
            Transport = transport;
            Events.Add("connection_made");
        }

        public virtual void DataReceived(ReadOnlySpan<byte> data)
        {
            if (Events[^1] != "data_received")
                Events.Add("data_received");
            Data.AddRange(data);
        }

        public virtual bool EofReceived()
        {
            Events.Add("eof_received");
            return false;
        }

        public void ConnectionLost(Exception? exception)
        {
            Events.Add(exception is null ? "connection_lost(None)" : $"connection_lost({PythonName(exception)})");
            Lost.SetResult(Unit.Value);
        }

        public void PauseWriting() { }

        public void ResumeWriting() { }
    }

    private sealed class EchoUpper(EventLoop loop, GoldenContext g) : Recorder(loop)
    {
        public override void DataReceived(ReadOnlySpan<byte> data)
        {
            base.DataReceived(data);
            Transport.Write(Encoding.ASCII.GetBytes(Encoding.ASCII.GetString(data).ToUpperInvariant()));
        }

        public override bool EofReceived()
        {
            base.EofReceived();
            g.Print("server closing after eof:", Transport.IsClosing);
            Transport.Write(" bye"u8);
            Transport.Close();
            g.Print("server closing after close:", Transport.IsClosing);
            return true;
        }
    }

    [Golden("net_01_echo_callback_order")]
    public static void EchoCallbackOrder(GoldenContext g)
    {
        var loop = g.Loop;
        async Coroutine Main()
        {
            var servers = new List<EchoUpper>();
            var server = await loop.CreateServer(() =>
            {
                servers.Add(new EchoUpper(loop, g));
                return servers[^1];
            }, Loopback, 0);
            var (transport, client) = await loop.CreateConnection(() => new Recorder(loop), Loopback, PortOf(server));
            g.Print("after create_connection:", client.Events);
            transport.Write("hello "u8);
            transport.Write("world"u8);
            transport.WriteEof();
            g.Print("client closing after write_eof:", transport.IsClosing);
            await client.Lost;
            await servers[0].Lost;
            g.Print("client events:", client.Events);
            g.Print("client received:", PyBytes([.. client.Data]));
            g.Print("server events:", servers[0].Events);
            g.Print("server received:", PyBytes([.. servers[0].Data]));
            g.Print("client buffer:", transport.GetWriteBufferSize());
            server.Close();
            await server.WaitClosed();
            g.Print("done");
        }
        loop.RunUntilComplete(Main());
    }

    [Golden("net_02_eof_false_and_writes")]
    public static void EofFalseAndWrites(GoldenContext g)
    {
        var loop = g.Loop;
        async Coroutine Main()
        {
            var servers = new List<Recorder>();
            var server = await loop.CreateServer(() =>
            {
                servers.Add(new Recorder(loop));
                return servers[^1];
            }, Loopback, 0);
            var (transport, client) = await loop.CreateConnection(() => new Recorder(loop), Loopback, PortOf(server));
            transport.Write("ping"u8);
            transport.WriteEof();
            transport.WriteEof();
            try
            {
                transport.Write("more"u8);
            }
            catch (InvalidOperationException e)
            {
                g.Print("write after write_eof:", GoldenContext.PythonName(e), e.Message);
            }
            g.Print("can_write_eof:", transport.CanWriteEof());
            await client.Lost;
            await servers[0].Lost;
            g.Print("server events:", servers[0].Events);
            g.Print("client events:", client.Events);
            g.Print("client closing:", transport.IsClosing);
            try
            {
                transport.Write("more"u8);
            }
            catch (InvalidOperationException e)
            {
                g.Print("write after write_eof and lost:", GoldenContext.PythonName(e));
            }
            var serverTransport = servers[0].Transport;
            g.Print("server closing:", serverTransport.IsClosing);
            serverTransport.Write("dropped"u8);
            g.Print("server buffer after dropped write:", serverTransport.GetWriteBufferSize());
            transport.Close();
            transport.Abort();
            g.Print("client events after close and abort:", client.Events);
            server.Close();
            await server.WaitClosed();
        }
        loop.RunUntilComplete(Main());
    }

    [Golden("net_03_stream_reads_at_eof")]
    public static void StreamReadsAtEof(GoldenContext g)
    {
        var loop = g.Loop;
        async Coroutine Handle(Sim.Core.StreamReader reader, Sim.Core.StreamWriter writer)
        {
            writer.Write(Ascii("alpha\nbeta;gamma\nrest"));
            await writer.Drain();
            writer.Close();
            await writer.WaitClosed();
        }
        async Coroutine Main()
        {
            var server = await Asyncio.StartServer(Handle, Loopback, 0);
            var (reader, writer) = await Asyncio.OpenConnection(Loopback, PortOf(server));
            g.Print("readline:", PyBytes(await reader.ReadLine()));
            g.Print("readuntil:", PyBytes(await reader.ReadUntil(Ascii(";"))));
            g.Print("readexactly:", PyBytes(await reader.ReadExactly(3)));
            g.Print("readline:", PyBytes(await reader.ReadLine()));
            try
            {
                await reader.ReadExactly(10);
            }
            catch (IncompleteReadException e)
            {
                g.Print("readexactly:", "IncompleteReadError", PyBytes(e.Partial), e.Expected, e.Message);
            }
            g.Print("at_eof:", reader.AtEof());
            g.Print("readline at eof:", PyBytes(await reader.ReadLine()));
            g.Print("read at eof:", PyBytes(await reader.Read()));
            try
            {
                await reader.ReadUntil(Ascii("!"));
            }
            catch (IncompleteReadException e)
            {
                g.Print("readuntil at eof:", "IncompleteReadError", PyBytes(e.Partial), e.Expected, e.Message);
            }
            g.Print("writer closing:", writer.IsClosing());
            writer.Close();
            g.Print("writer closing:", writer.IsClosing());
            await writer.WaitClosed();
            server.Close();
            await server.WaitClosed();
        }
        loop.RunUntilComplete(Main());
    }

    [Golden("net_04_reader_limit")]
    public static void ReaderLimit(GoldenContext g)
    {
        const int limit = 20;
        var loop = g.Loop;
        async Coroutine<(Server, Sim.Core.StreamReader, Sim.Core.StreamWriter)> Connect(byte[] data)
        {
            var server = await Asyncio.StartServer(async (reader, writer) =>
            {
                writer.Write(data);
                await writer.Drain();
                await reader.Read();
                writer.Close();
            }, Loopback, 0);
            var (clientReader, clientWriter) = await Asyncio.OpenConnection(Loopback, PortOf(server), limit: limit);
            while (clientReader.BufferedCount < data.Length)
                await Asyncio.Sleep(0.01);
            return (server, clientReader, clientWriter);
        }
        static async Coroutine Finish(Server server, Sim.Core.StreamWriter writer)
        {
            writer.Close();
            await writer.WaitClosed();
            server.Close();
            await server.WaitClosed();
        }
        async Coroutine Main()
        {
            var (server, reader, writer) = await Connect(Ascii("0123456789abcdefghijXYZ;tail\nzz"));
            try
            {
                await reader.ReadUntil(Ascii(";"));
            }
            catch (LimitOverrunException e)
            {
                g.Print("readuntil:", "LimitOverrunError", e.Message, e.Consumed);
            }
            g.Print("readexactly:", PyBytes(await reader.ReadExactly(24)));
            g.Print("readline:", PyBytes(await reader.ReadLine()));
            g.Print("read:", PyBytes(await reader.Read(100)));
            await Finish(server, writer);

            (server, reader, writer) = await Connect(Ascii("0123456789abcdefghijklmnopqrstuvw\nnext\n"));
            try
            {
                await reader.ReadLine();
            }
            catch (LimitOverrunException e)
            {
                // asyncio's readline raises ValueError where ReadLine raises LimitOverrunException.
                g.Print("readline:", "ValueError", e.Message);
            }
            g.Print("readline:", PyBytes(await reader.ReadLine()));
            await Finish(server, writer);

            (server, reader, writer) = await Connect(Ascii(new string('z', 30)));
            try
            {
                await reader.ReadUntil(Ascii("\n"));
            }
            catch (LimitOverrunException e)
            {
                g.Print("readuntil:", "LimitOverrunError", e.Message, e.Consumed);
            }
            g.Print("read:", PyBytes(await reader.Read(100)));
            await Finish(server, writer);
        }
        loop.RunUntilComplete(Main());
    }
}

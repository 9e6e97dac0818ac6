using System.Net;
using System.Net.Sockets;
using System.Text;
using Sim.Core;

namespace Sim.Tests.Golden;

/// <summary>C# twins of the datagram scenarios (Scenarios/udp_*): CPython runs them on real
/// 127.0.0.1 UDP sockets, the twins on the simulated network; what user code sees must be the same.</summary>
internal static class DatagramScenarios
{
    private const string Loopback = "127.0.0.1";

    /// <summary>Python's repr of a str: single quotes unless the text holds one (and no double).</summary>
    private static string PyRepr(string text) =>
        text.Contains('\'') && !text.Contains('"') ? $"\"{text}\"" : $"'{text.Replace("'", "\\'")}'";

    /// <summary>Python's str of a list of str.</summary>
    private static string PyList(IEnumerable<string> items) => "[" + string.Join(", ", items.Select(PyRepr)) + "]";

    /// <summary>The name and errno CPython gives a socket error.</summary>
    private static (string Name, int Errno) PythonError(Exception error) => error switch
    {
        SocketException { SocketErrorCode: SocketError.ConnectionRefused } => ("ConnectionRefusedError", 111),
        SocketException { SocketErrorCode: SocketError.MessageSize } => ("OSError", 90),
        SocketException { SocketErrorCode: SocketError.AddressAlreadyInUse } => ("OSError", 98),
        ArgumentException => ("ValueError", 0),
        _ => (GoldenContext.PythonName(error), 0),
    };

    private static IPEndPoint Sockname(IDatagramTransport transport) => (IPEndPoint)transport.GetExtraInfo("sockname")!;

    /// <summary>The recorder of udp_01 and udp_02.</summary>
    private sealed class Recorder(EventLoop loop, bool echo = false, bool withErrno = false) : IDatagramProtocol
    {
        private int _count;

        public List<string> Events { get; } = [];

        public Future<Unit> Lost { get; } = loop.CreateFuture<Unit>();

        public Future<EndPoint> Received { get; } = loop.CreateFuture<EndPoint>();

        public Future<Unit> Changed { get; private set; } = loop.CreateFuture<Unit>();

        public IDatagramTransport Transport { get; private set; } = null!;

        public void ConnectionMade(IDatagramTransport transport)
        {
            Transport = transport;
            Events.Add("connection_made");
        }

        public void DatagramReceived(ReadOnlySpan<byte> data, EndPoint address)
        {
            var bytes = data.ToArray();
            Events.Add($"datagram_received {NetworkScenarios.PyBytes(bytes)}");
            if (echo)
                Transport.SendTo(Encoding.ASCII.GetBytes(Encoding.ASCII.GetString(bytes).ToUpperInvariant()), address);
            _count++;
            if (_count == 2 && !Received.Done)
                Received.SetResult(address);
            SignalChanged();
        }

        public void ErrorReceived(Exception exception)
        {
            var (name, errno) = PythonError(exception);
            Events.Add(withErrno ? $"error_received({name}, errno {errno})" : $"error_received({name})");
            SignalChanged();
        }

        public void ConnectionLost(Exception? exception)
        {
            Events.Add($"connection_lost({(exception is null ? "None" : PythonError(exception).Name)})");
            Lost.SetResult(Unit.Value);
        }

        public void PauseWriting() { }

        public void ResumeWriting() { }

        public async Coroutine NextEvent()
        {
            await Changed;
            Changed = loop.CreateFuture<Unit>();
        }

        private void SignalChanged()
        {
            if (!Changed.Done)
                Changed.SetResult(Unit.Value);
        }
    }

    [Golden("udp_01_echo_callback_order")]
    public static void EchoCallbackOrder(GoldenContext g)
    {
        var loop = g.Loop;
        async Coroutine Main()
        {
            var (serverTransport, server) = await loop.CreateDatagramEndpoint(() => new Recorder(loop, echo: true), localAddress: (Loopback, 0));
            var serverAddress = Sockname(serverTransport);
            g.Print("server peername:", serverTransport.GetExtraInfo("peername"));
            g.Print("server events after create:", PyList(server.Events));

            var (transport, client) = await loop.CreateDatagramEndpoint(() => new Recorder(loop), remoteAddress: (Loopback, serverAddress.Port));
            g.Print("client events after create:", PyList(client.Events));
            g.Print("peername is the server:", serverAddress.Equals(transport.GetExtraInfo("peername")));
            g.Print("sockname host:", Sockname(transport).Address);
            var (low, high) = transport.GetWriteBufferLimits();
            g.Print("limits:", $"({low}, {high})", "buffered:", transport.GetWriteBufferSize());
            g.Print("is_closing:", transport.IsClosing);

            transport.SendTo([]);
            transport.SendTo("hello"u8);
            transport.SendTo("world"u8, serverAddress);
            try
            {
                transport.SendTo("elsewhere"u8, new IPEndPoint(serverAddress.Address, serverAddress.Port < 65535 ? serverAddress.Port + 1 : 1));
            }
            catch (ArgumentException e)
            {
                g.Print("sendto another address:", PythonError(e).Name, e.Message.StartsWith("Invalid address: must be None or", StringComparison.Ordinal));
            }
            g.Print("buffered after sends:", transport.GetWriteBufferSize());

            var replyFrom = await client.Received;
            g.Print("reply from the server:", serverAddress.Equals(replyFrom));
            g.Print("server events:", PyList(server.Events));
            g.Print("client events:", PyList(client.Events));

            transport.Close();
            g.Print("closing after close:", transport.IsClosing);
            transport.SendTo("dropped"u8);
            g.Print("client events right after close:", PyList(client.Events));
            await client.Lost;
            g.Print("client events after lost:", PyList(client.Events));
            serverTransport.Abort();
            await server.Lost;
            g.Print("server events after abort:", PyList(server.Events));

            try
            {
                await loop.CreateDatagramEndpoint(() => new Recorder(loop));
            }
            catch (ArgumentException e)
            {
                g.Print("no address, no family:", PythonError(e).Name);
            }
        }
        loop.RunUntilComplete(Main());
    }

    [Golden("udp_02_refused_and_errors")]
    public static void RefusedAndErrors(GoldenContext g)
    {
        var loop = g.Loop;
        async Coroutine Main()
        {
            var (probeTransport, probe) = await loop.CreateDatagramEndpoint(() => new Recorder(loop, withErrno: true), localAddress: (Loopback, 0));
            var port = Sockname(probeTransport).Port;
            try
            {
                await loop.CreateDatagramEndpoint(() => new Recorder(loop, withErrno: true), localAddress: (Loopback, port));
            }
            catch (SocketException e)
            {
                var (name, errno) = PythonError(e);
                g.Print("bind a port in use:", name, errno);
            }
            probeTransport.Close();
            await probe.Lost;

            var (transport, client) = await loop.CreateDatagramEndpoint(() => new Recorder(loop, withErrno: true), remoteAddress: (Loopback, port));
            transport.SendTo("anyone?"u8);
            await client.NextEvent();
            g.Print("connected, after sending to a closed port:", PyList(client.Events));
            g.Print("is_closing:", transport.IsClosing);
            transport.SendTo(new byte[70_000]);
            await client.NextEvent();
            g.Print("after a datagram too large:", PyList(client.Events));
            transport.Close();
            await client.Lost;
            g.Print("after close:", PyList(client.Events));

            var (echoTransport, echo) = await loop.CreateDatagramEndpoint(() => new Recorder(loop, withErrno: true), localAddress: (Loopback, 0));
            var echoAddress = Sockname(echoTransport);
            (transport, client) = await loop.CreateDatagramEndpoint(() => new Recorder(loop, withErrno: true), localAddress: (Loopback, 0));
            transport.SendTo("into the void"u8, new IPEndPoint(IPAddress.Loopback, port));
            transport.SendTo("hello"u8, echoAddress);
            await echo.NextEvent();
            g.Print("echo side:", PyList(echo.Events));
            await Asyncio.Sleep(0.05);
            g.Print("unconnected, after sending to a closed port:", PyList(client.Events));
            transport.Close();
            echoTransport.Close();
            await client.Lost;
            await echo.Lost;
            g.Print("closed:", client.Events[^1], echo.Events[^1]);
        }
        loop.RunUntilComplete(Main());
    }
}

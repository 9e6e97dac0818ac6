using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Sim.Core;
using Sim.Real;

namespace Sim.Bench;

/// <summary>
/// The allocation figures of issue 5 on a real backend: managed bytes per connection at rest and
/// per echoed message in the protocol echo server's steady state. The server runs on the loop,
/// on this thread; the clients are plain blocking sockets on another thread, so what is counted
/// on this thread (<see cref="GC.GetAllocatedBytesForCurrentThread"/>) is the loop's alone; the
/// whole process's count (<see cref="GC.GetTotalAllocatedBytes"/>) adds the client thread and, on
/// the portable backend, the runtime's threads that complete socket operations.
/// </summary>
internal static class AllocationProbe
{
    // Messages echoed before measuring: tiered JIT, pools and queues reach their working state.
    private const int WarmUpMessages = 20_000;

    // Connections the client thread echoes over, round-robin (the rest stay idle).
    private const int ActiveConnections = 10;

    public static int Run(RealBackendKind backend, int connections, int messages, int size)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(connections, ActiveConnections);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(messages);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(size);
        var loop = RealLoop.Create(backend);
        var echo = new EchoCounter(loop, connections, (long)WarmUpMessages * size, (long)(WarmUpMessages + messages) * size);
        var server = loop.RunUntilComplete(loop.CreateServer(() => new MeasuringEcho(echo), "127.0.0.1", 0, backlog: connections));
        var port = ((IPEndPoint)server.Sockets[0]).Port;

        // The clients connect while the loop is stopped: they wait in the listener's backlog.
        var clients = new Socket[connections];
        for (var i = 0; i < connections; i++)
        {
            clients[i] = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            clients[i].Connect(IPAddress.Loopback, port);
        }

        var retainedBefore = GC.GetTotalMemory(forceFullCollection: true);
        var allocatedBefore = GC.GetAllocatedBytesForCurrentThread();
        loop.RunUntilComplete(echo.AllConnected);
        // A few more iterations, so every transport has started reading (its last allocation).
        loop.RunUntilComplete(Asyncio.Sleep(0.05));
        var allocatedPerConnection = (GC.GetAllocatedBytesForCurrentThread() - allocatedBefore) / (double)connections;
        var retainedPerConnection = (GC.GetTotalMemory(forceFullCollection: true) - retainedBefore) / (double)connections;

        var client = new Thread(() => PingPong(loop, clients, WarmUpMessages + messages, size)) { IsBackground = true };
        var gen0Before = GC.CollectionCount(0);
        client.Start();
        loop.RunForever();
        client.Join();
        var perMessage = (echo.MeasuredEnd - echo.MeasuredStart) / (double)messages;
        var perMessageInProcess = (echo.ProcessMeasuredEnd - echo.ProcessMeasuredStart) / (double)messages;
        var collections = GC.CollectionCount(0) - gen0Before;

        foreach (var socket in clients)
            socket.Dispose();
        server.Close();
        loop.Close();

        var name = backend.ToString().ToLowerInvariant();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"alloc {name}: {connections} connections: {allocatedPerConnection:0} bytes allocated on the loop thread per accepted connection, {retainedPerConnection:0} bytes retained per connection at rest"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"alloc {name}: {messages} echoed messages of {size} B over {ActiveConnections} connections after {WarmUpMessages} warm-up: {perMessage:0.000} bytes allocated on the loop thread per message, {perMessageInProcess:0.000} in the whole process (the blocking client thread and the runtime's socket completion threads included; {collections} gen0 collections meanwhile)"));
        return 0;
    }

    /// <summary>Sends a message on each active connection in turn and reads its echo back, then stops the loop.</summary>
    private static void PingPong(EventLoop loop, Socket[] clients, int messages, int size)
    {
        var message = new byte[size];
        var echo = new byte[size];
        for (var sent = 0; sent < messages; sent++)
        {
            var socket = clients[sent % ActiveConnections];
            socket.Send(message);
            var received = 0;
            while (received < size)
                received += socket.Receive(echo, received, size - received, SocketFlags.None);
        }
        loop.CallSoonThreadsafe(loop.Stop);
    }

    /// <summary>Counts connections and echoed bytes; reads the loop thread's allocation counter
    /// when the echoed bytes cross the start and end of the measurement.</summary>
    private sealed class EchoCounter(EventLoop loop, int connections, long startBytes, long endBytes)
    {
        private int _connected;
        private long _echoed;

        public Future<Unit> AllConnected { get; } = loop.CreateFuture<Unit>();

        public long MeasuredStart { get; private set; }

        public long MeasuredEnd { get; private set; }

        public long ProcessMeasuredStart { get; private set; }

        public long ProcessMeasuredEnd { get; private set; }

        public void Connected()
        {
            if (++_connected == connections)
                AllConnected.SetResult(Unit.Value);
        }

        public void Echoed(int count)
        {
            var before = _echoed;
            _echoed += count;
            if (before < startBytes && _echoed >= startBytes)
            {
                MeasuredStart = GC.GetAllocatedBytesForCurrentThread();
                ProcessMeasuredStart = GC.GetTotalAllocatedBytes(precise: true);
            }
            if (before < endBytes && _echoed >= endBytes)
            {
                MeasuredEnd = GC.GetAllocatedBytesForCurrentThread();
                ProcessMeasuredEnd = GC.GetTotalAllocatedBytes(precise: true);
            }
        }
    }

    /// <summary>The protocol echo server's protocol, counting what it echoes.</summary>
    private sealed class MeasuringEcho(EchoCounter counter) : Protocol
    {
        public override void ConnectionMade(ITransport transport)
        {
            base.ConnectionMade(transport);
            counter.Connected();
        }

        public override void DataReceived(ReadOnlySpan<byte> data)
        {
            Transport!.Write(data);
            counter.Echoed(data.Length);
        }
    }
}

using System.Net;
using System.Net.Sockets;
using Sim.Core;
using Sim.Net;
using Sim.Real;
using Sim.Real.Portable;
using Sim.Real.Sockets;
using Sim.Tests.Conformance;

namespace Sim.Tests.Real;

/// <summary>
/// The socket options of servers and connections on both real backends over 127.0.0.1:
/// SO_REUSEPORT lets two servers share a port (and both accept), SO_REUSEADDR (on by default, as
/// in asyncio) lets a server bind over connections lingering in TIME_WAIT, and TCP_NODELAY is on
/// for every TCP transport. Every wait is bounded by loop time.
/// </summary>
[Trait("Category", "Unit")]
public sealed class ServerOptionsTests
{
    private const double TimeLimit = 20;

    public static TheoryData<RealBackendKind> Backends() => [RealBackendKind.Epoll, RealBackendKind.Portable];

    private static T Run<T>(RealBackendKind kind, Func<EventLoop, Coroutine<T>> body) =>
        BoundedRun.Run(RealLoop.Create(kind), TimeLimit, body);

    private static int PortOf(Server server) => ((IPEndPoint)server.Sockets[0]).Port;

    [Theory]
    [MemberData(nameof(Backends))]
    public void CreateServer_TwoServersWithReusePort_BothBindThePortAndBothAccept(RealBackendKind kind)
    {
        if (!OperatingSystem.IsLinux())
            return;
        const int Connections = 64;
        var (first, second) = Run(kind, async loop =>
        {
            var one = await loop.CreateServer(() => new RecordingProtocol(loop), "127.0.0.1", 0, reusePort: true);
            var two = await loop.CreateServer(() => new RecordingProtocol(loop), "127.0.0.1", PortOf(one), reusePort: true);
            var clients = new List<ITransport>();
            for (var i = 0; i < Connections; i++)
            {
                var (transport, _) = await loop.CreateConnection(() => new RecordingProtocol(loop), "127.0.0.1", PortOf(one));
                clients.Add(transport);
            }
            while (one.ActiveConnections + two.ActiveConnections < Connections)
                await Asyncio.Sleep(0.001);
            var counts = (one.ActiveConnections, two.ActiveConnections);
            foreach (var client in clients)
                client.Close();
            one.Close();
            two.Close();
            await one.WaitClosed();
            await two.WaitClosed();
            return counts;
        });

        // The kernel spreads connections by a hash of their addresses: with 64 of them, both get some.
        Assert.Equal(Connections, first + second);
        Assert.True(first > 0, $"the first server accepted none of {Connections}");
        Assert.True(second > 0, $"the second server accepted none of {Connections}");
    }

    [Theory]
    [MemberData(nameof(Backends))]
    public void StartServer_ReusePort_SecondServerOnThePortBinds(RealBackendKind kind)
    {
        if (!OperatingSystem.IsLinux())
            return;
        var (port, secondPort) = Run(kind, async loop =>
        {
            static async Coroutine Handle(Sim.Core.StreamReader reader, Sim.Core.StreamWriter writer) => writer.Close();
            var one = await Asyncio.StartServer(Handle, "127.0.0.1", 0, reusePort: true);
            var two = await Asyncio.StartServer(Handle, "127.0.0.1", PortOf(one), reusePort: true);
            var ports = (PortOf(one), PortOf(two));
            one.Close();
            two.Close();
            return ports;
        });

        Assert.Equal(port, secondPort);
    }

    [Theory]
    [MemberData(nameof(Backends))]
    public void CreateServer_PortTakenWithoutReusePort_RaisesAddressAlreadyInUse(RealBackendKind kind)
    {
        if (!OperatingSystem.IsLinux())
            return;
        var error = Run(kind, async loop =>
        {
            // Even when the first server allows sharing: both must ask for it.
            var one = await loop.CreateServer(() => new RecordingProtocol(loop), "127.0.0.1", 0, reusePort: true);
            Exception? thrown = null;
            try
            {
                await loop.CreateServer(() => new RecordingProtocol(loop), "127.0.0.1", PortOf(one));
            }
            catch (Exception e)
            {
                thrown = e;
            }
            one.Close();
            return thrown;
        });

        Assert.Equal(SocketError.AddressAlreadyInUse, Assert.IsType<SocketException>(error).SocketErrorCode);
    }

    [Fact]
    public void CreateServer_ConnectionLingersInTimeWaitOnEpoll_BindsByDefaultButNotWithReuseAddressFalse()
    {
        if (!OperatingSystem.IsLinux())
            return;
        var (withoutReuse, rebound) = Run(RealBackendKind.Epoll, async loop =>
        {
            var server = await loop.CreateServer(() => new RecordingProtocol(loop) { OnMade = p => p.Transport!.Close() }, "127.0.0.1", 0);
            var port = PortOf(server);
            // The server closes first: its side of the connection lingers in TIME_WAIT on the port.
            var (client, protocol) = await loop.CreateConnection(() => new RecordingProtocol(loop), "127.0.0.1", port);
            await protocol.Lost;
            server.Close();
            await server.WaitClosed();
            Exception? thrown = null;
            try
            {
                var refused = await loop.CreateServer(() => new RecordingProtocol(loop), "127.0.0.1", port, reuseAddress: false);
                refused.Close();
            }
            catch (SocketException e)
            {
                thrown = e;
            }
            var again = await loop.CreateServer(() => new RecordingProtocol(loop), "127.0.0.1", port);
            var againPort = PortOf(again);
            again.Close();
            return (thrown, againPort == port);
        });

        Assert.Equal(SocketError.AddressAlreadyInUse, Assert.IsType<SocketException>(withoutReuse).SocketErrorCode);
        Assert.True(rebound);
    }

    [Fact]
    public void CreateServer_ReuseAddressFalseOnPortableOutsideWindows_RaisesNotSupportedNamingTheReason()
    {
        if (OperatingSystem.IsWindows())
            return;
        var error = Run(RealBackendKind.Portable, async loop =>
        {
            try
            {
                var server = await loop.CreateServer(() => new RecordingProtocol(loop), "127.0.0.1", 0, reuseAddress: false);
                server.Close();
                return null;
            }
            catch (NotSupportedException e)
            {
                return e;
            }
        });

        Assert.NotNull(error);
        Assert.Contains("SO_REUSEADDR", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void CreateServer_ReusePortInSimulation_RaisesNotSupported()
    {
        var simulation = new Simulation(seed: 3, new SimulationOptions { Log = TextWriter.Null });
        var loop = simulation.Loop;
        var error = loop.RunUntilComplete(Capture(loop));
        loop.Close();

        Assert.IsType<NotSupportedException>(error);

        static async Coroutine<Exception?> Capture(EventLoop loop)
        {
            try
            {
                await loop.CreateServer(() => new RecordingProtocol(loop), "127.0.0.1", 8080, reusePort: true);
                return null;
            }
            catch (NotSupportedException e)
            {
                return e;
            }
        }
    }

    [Theory]
    [MemberData(nameof(Backends))]
    public void Transports_BothEndsOfATcpConnection_HaveTcpNoDelayOn(RealBackendKind kind)
    {
        if (!OperatingSystem.IsLinux())
            return;
        var (client, accepted) = Run(kind, async loop =>
        {
            var serverSide = loop.CreateFuture<ITransport>();
            var server = await loop.CreateServer(() => new RecordingProtocol(loop) { OnMade = p => serverSide.SetResult(p.Transport!) }, "127.0.0.1", 0);
            var (transport, _) = await loop.CreateConnection(() => new RecordingProtocol(loop), "127.0.0.1", PortOf(server));
            var peer = await serverSide;
            var result = (NoDelay(transport), NoDelay(peer));
            transport.Close();
            server.Close();
            return result;
        });

        Assert.True(client, "TCP_NODELAY is off on the connecting side");
        Assert.True(accepted, "TCP_NODELAY is off on the accepted side");
    }

    private static bool NoDelay(ITransport transport) => transport.GetExtraInfo("socket") switch
    {
        EpollStreamSocket epoll => NativeSockets.NoDelay(epoll.Descriptor),
        SocketStreamSocket portable => portable.NoDelay,
        var other => throw new InvalidOperationException($"not a real socket: {other}"),
    };
}

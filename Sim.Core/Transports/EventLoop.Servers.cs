using System.Net;
using System.Net.Sockets;

namespace Sim.Core;

public sealed partial class EventLoop
{
    // asyncio's default backlog: queued connections not yet accepted, and connections accepted per
    // readiness callback.
    private const int DefaultBacklog = 100;

    /// <summary>
    /// Listens on <paramref name="host"/>:<paramref name="port"/> (asyncio's <c>create_server</c>):
    /// every address the host resolves to (all interfaces, IPv4 and IPv6, when it is null or
    /// empty); port 0 picks a free port per address. Each accepted connection gets a protocol from
    /// <paramref name="protocolFactory"/>.
    /// </summary>
    /// <param name="protocolFactory">Makes each connection's protocol.</param>
    /// <param name="host">A name or address to listen on; null or empty for every interface.</param>
    /// <param name="port">The port, 0 for a free one.</param>
    /// <param name="family">Only addresses of this family, unless <see cref="AddressFamily.Unspecified"/>.</param>
    /// <param name="backlog">Connections that may wait to be accepted; also how many are accepted per readiness.</param>
    /// <param name="startServing">Accept at once (else call <see cref="Server.StartServing"/> or <see cref="Server.ServeForever"/>).</param>
    /// <param name="reuseAddress">SO_REUSEADDR: bind while connections of an earlier server on the
    /// port linger. Null: asyncio's default, on except on Windows (where it would let another
    /// socket take the port over).</param>
    /// <param name="reusePort">SO_REUSEPORT: several servers (or processes) share the port and the
    /// kernel spreads the connections among them.</param>
    /// <exception cref="SocketException">AddressAlreadyInUse, AddressNotAvailable, HostNotFound...</exception>
    /// <exception cref="NotSupportedException"><paramref name="reusePort"/> where SO_REUSEPORT does not exist.</exception>
    public async Coroutine<Server> CreateServer<TProtocol>(
        Func<TProtocol> protocolFactory, string? host, int port, AddressFamily family = AddressFamily.Unspecified,
        int backlog = DefaultBacklog, bool startServing = true, bool? reuseAddress = null, bool reusePort = false)
        where TProtocol : class, IBaseProtocol
    {
        ArgumentNullException.ThrowIfNull(protocolFactory);
        CheckPort(port, allowZero: true);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(backlog);
        var network = Network;
        IReadOnlyList<IPEndPoint> endPoints = string.IsNullOrEmpty(host)
            ? WildcardEndPoints(port, family)
            : await ResolveEndPoints(network, host, port, family);
        var options = new ListenOptions(reuseAddress ?? !OperatingSystem.IsWindows(), reusePort);
        var listeners = new List<IStreamListener>();
        try
        {
            foreach (var endPoint in endPoints.Distinct())
                listeners.Add(network.Listen(endPoint, backlog, options));
        }
        catch
        {
            foreach (var listener in listeners)
                listener.Close();
            throw;
        }
        var server = new Server(this, listeners, protocolFactory, backlog);
        if (startServing)
            await StartServingOrClose(server);
        return server;
    }

    /// <summary>Starts <paramref name="server"/> and yields one iteration, so that its listeners
    /// are watched before the caller goes on. A caller cancelled in that iteration never gets the
    /// server, so the server is closed then, not left listening with no owner.</summary>
    private static async Coroutine StartServingOrClose(Server server)
    {
        try
        {
            await server.StartServing();
        }
        catch
        {
            server.Close();
            throw;
        }
    }

    private static List<IPEndPoint> WildcardEndPoints(int port, AddressFamily family)
    {
        var endPoints = new List<IPEndPoint>();
        if (family is AddressFamily.Unspecified or AddressFamily.InterNetwork)
            endPoints.Add(new IPEndPoint(IPAddress.Any, port));
        if (family is AddressFamily.Unspecified or AddressFamily.InterNetworkV6)
            endPoints.Add(new IPEndPoint(IPAddress.IPv6Any, port));
        return endPoints;
    }
}

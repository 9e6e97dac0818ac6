using System.Net;
using System.Net.Sockets;

namespace Sim.Core;

public sealed partial class EventLoop
{
    /// <summary>
    /// Opens a stream connection to <paramref name="host"/>:<paramref name="port"/> (asyncio's
    /// <c>create_connection</c>): resolves the host, tries its addresses — one after the other, or
    /// staggered by <paramref name="happyEyeballsDelay"/> (RFC 8305) — until one connects, then
    /// gives the connection a protocol from <paramref name="protocolFactory"/>. Returns once the
    /// protocol's <c>ConnectionMade</c> has run.
    /// </summary>
    /// <param name="protocolFactory">Makes the protocol: an <see cref="IProtocol"/> or an <see cref="IBufferedProtocol"/>.</param>
    /// <param name="host">A name to resolve or an address literal.</param>
    /// <param name="port">The port, 1 to 65535.</param>
    /// <param name="localAddress">The local address (and port, 0 for any) to connect from; in a
    /// simulation it also picks the host the connection starts from.</param>
    /// <param name="family">Only addresses of this family, unless <see cref="AddressFamily.Unspecified"/>.</param>
    /// <param name="happyEyeballsDelay">Null: one address at a time, each attempt running to its
    /// end. Otherwise the seconds to wait for an attempt before starting the next one in parallel
    /// (RFC 8305 recommends 0.25); an attempt that fails starts the next at once, the first to
    /// connect wins and the others are cancelled and their sockets closed.</param>
    /// <param name="interleave">How many addresses of the resolver's first family come before the
    /// families alternate (asyncio's <c>_interleave_addrinfos</c>); 0 or null keeps the resolver's
    /// order, except that null means 1 when <paramref name="happyEyeballsDelay"/> is given.</param>
    /// <exception cref="SocketException">Every address failed (ConnectionRefused, TimedOut,
    /// HostNotFound...). As asyncio: one error, or several with the same message, is raised as it
    /// is; different errors are combined into one <see cref="SocketException"/> whose code is the
    /// first attempt's and whose message is "Multiple exceptions: " and every error, in the order
    /// the attempts started.</exception>
    public async Coroutine<(ITransport Transport, TProtocol Protocol)> CreateConnection<TProtocol>(
        Func<TProtocol> protocolFactory, string host, int port, IPEndPoint? localAddress = null, AddressFamily family = AddressFamily.Unspecified,
        double? happyEyeballsDelay = null, int? interleave = null)
        where TProtocol : class, IBaseProtocol
    {
        ArgumentNullException.ThrowIfNull(protocolFactory);
        ArgumentException.ThrowIfNullOrEmpty(host);
        CheckPort(port, allowZero: false);
        CheckHappyEyeballs(happyEyeballsDelay, interleave);
        var network = Network;
        var addresses = await ResolveEndPoints(network, host, port, family);
        var candidates = ConnectCandidates(addresses, localAddress, interleave ?? (happyEyeballsDelay is null ? 0 : 1));
        var socket = happyEyeballsDelay is { } delay
            ? await new StaggeredConnect(this, candidates, remote => ConnectSocket(network, remote, localAddress), delay).Run()
            : await ConnectFirst(network, candidates, localAddress);
        return await StartTransport(socket, protocolFactory);
    }

    /// <summary>
    /// Wraps a connected socket that was accepted (or connected) outside a server in a transport
    /// with a protocol from <paramref name="protocolFactory"/> (asyncio's
    /// <c>connect_accepted_socket</c>): typically a socket from <see cref="SockAccept"/>, TCP or
    /// Unix. The transport owns the socket from then on; returns once the protocol's
    /// <c>ConnectionMade</c> has run.
    /// </summary>
    /// <exception cref="InvalidOperationException">A reader or writer is registered on the socket
    /// (<see cref="AddReader(IStreamSocket, Action)"/>, <see cref="AddWriter(IStreamSocket, Action)"/>, or a sock_*
    /// operation still waiting): the transport would take its readiness away.</exception>
    public Coroutine<(ITransport Transport, TProtocol Protocol)> ConnectAcceptedSocket<TProtocol>(Func<TProtocol> protocolFactory, IStreamSocket socket)
        where TProtocol : class, IBaseProtocol
    {
        ArgumentNullException.ThrowIfNull(protocolFactory);
        ArgumentNullException.ThrowIfNull(socket);
        CheckClosed();
        if (_socketWatchers.ContainsKey(socket))
            throw new InvalidOperationException($"The socket {socket} has a reader or writer registered (AddReader, AddWriter or a sock_* operation still waiting): remove it before handing the socket to a transport.");
        return StartTransport(socket, protocolFactory);
    }

    /// <summary>asyncio's <c>_create_connection_transport</c>: a protocol and a transport for a
    /// connected socket (closed if the factory fails); returns once <c>ConnectionMade</c> has run.</summary>
    private async Coroutine<(ITransport Transport, TProtocol Protocol)> StartTransport<TProtocol>(IStreamSocket socket, Func<TProtocol> protocolFactory)
        where TProtocol : class, IBaseProtocol
    {
        TProtocol protocol;
        SocketTransport transport;
        var waiter = CreateFuture<Unit>();
        try
        {
            protocol = protocolFactory() ?? throw new InvalidOperationException("The protocol factory returned null.");
            transport = new SocketTransport(this, socket, protocol, waiter, null);
        }
        catch
        {
            socket.Close();
            throw;
        }
        try
        {
            await waiter;
        }
        catch
        {
            transport.Close();
            throw;
        }
        return (transport, protocol);
    }

    /// <summary>
    /// Resolves <paramref name="host"/> to endpoints with <paramref name="port"/> (asyncio's
    /// <c>getaddrinfo</c>, stream sockets only). An address literal resolves to itself.
    /// </summary>
    /// <exception cref="SocketException">HostNotFound and other resolver errors.</exception>
    public Coroutine<IReadOnlyList<IPEndPoint>> GetAddrInfo(string host, int port, AddressFamily family = AddressFamily.Unspecified)
    {
        ArgumentException.ThrowIfNullOrEmpty(host);
        CheckPort(port, allowZero: true);
        return ResolveEndPoints(Network, host, port, family);
    }

    /// <summary>The backend's network primitives.</summary>
    private INetworkBackend Network =>
        _backend as INetworkBackend
        ?? throw new NotSupportedException($"The loop's backend ({_backend.GetType().Name}) has no network.");

    private static async Coroutine<IReadOnlyList<IPEndPoint>> ResolveEndPoints(INetworkBackend network, string host, int port, AddressFamily family)
    {
        if (IPAddress.TryParse(host, out var literal))
        {
            if (family != AddressFamily.Unspecified && literal.AddressFamily != family)
                throw new SocketException((int)SocketError.AddressFamilyNotSupported, $"{host} is not an address of family {family}");
            return [new IPEndPoint(literal, port)];
        }
        var addresses = await network.Resolve(host, family);
        if (addresses.Count == 0)
            throw new SocketException((int)SocketError.HostNotFound, "getaddrinfo() returned empty list");
        return addresses.Select(address => new IPEndPoint(address, port)).ToList();
    }

    /// <summary>Tries the addresses one after the other (asyncio without happy eyeballs).</summary>
    private async Coroutine<IStreamSocket> ConnectFirst(INetworkBackend network, IReadOnlyList<IPEndPoint> addresses, IPEndPoint? localAddress)
    {
        var errors = new List<SocketException>();
        foreach (var address in addresses)
        {
            try
            {
                return await ConnectSocket(network, address, localAddress);
            }
            catch (SocketException error)
            {
                errors.Add(error);
            }
        }
        throw ConnectionFailure(errors);
    }

    /// <summary>
    /// The addresses worth trying: those of the local address's family (a socket bound to one
    /// family cannot reach the other), interleaved by family when <paramref name="interleave"/> is
    /// positive.
    /// </summary>
    private static IReadOnlyList<IPEndPoint> ConnectCandidates(IReadOnlyList<IPEndPoint> addresses, IPEndPoint? localAddress, int interleave)
    {
        var candidates = localAddress is null
            ? addresses
            : addresses.Where(a => a.AddressFamily == localAddress.AddressFamily).ToList();
        if (candidates.Count == 0)
            throw new SocketException((int)SocketError.AddressFamilyNotSupported, $"no address of {localAddress} 's family to connect to");
        return interleave > 0 ? InterleaveByFamily(candidates, interleave) : candidates;
    }

    /// <summary>
    /// asyncio's <c>_interleave_addrinfos</c>: groups the addresses by family in order of first
    /// appearance, puts <paramref name="firstFamilyCount"/> - 1 of the first family first, then
    /// takes one of each family in turn until all are used.
    /// </summary>
    internal static List<IPEndPoint> InterleaveByFamily(IReadOnlyList<IPEndPoint> addresses, int firstFamilyCount)
    {
        var families = new List<List<IPEndPoint>>();
        foreach (var address in addresses)
        {
            var group = families.Find(g => g[0].AddressFamily == address.AddressFamily);
            if (group is null)
                families.Add(group = []);
            group.Add(address);
        }
        var interleaved = new List<IPEndPoint>(addresses.Count);
        var next = new int[families.Count];
        if (families.Count > 0 && firstFamilyCount > 1)
        {
            next[0] = Math.Min(firstFamilyCount - 1, families[0].Count);
            interleaved.AddRange(families[0].Take(next[0]));
        }
        while (interleaved.Count < addresses.Count)
        {
            for (var i = 0; i < families.Count; i++)
            {
                if (next[i] < families[i].Count)
                    interleaved.Add(families[i][next[i]++]);
            }
        }
        return interleaved;
    }

    /// <summary>
    /// The error of a connect where every attempt failed, as asyncio raises it: the only error, or
    /// the first when all have the same message; otherwise one combining all of them (the first
    /// attempt's code, every message in attempt order).
    /// </summary>
    internal static SocketException ConnectionFailure(IReadOnlyList<SocketException> errors)
    {
        if (errors.Count == 0)
            throw new InvalidOperationException("A connect failed without any attempt failing.");
        if (errors.All(e => e.Message == errors[0].Message))
            return errors[0];
        return new SocketException((int)errors[0].SocketErrorCode, "Multiple exceptions: " + string.Join(", ", errors.Select(e => $"[{e.SocketErrorCode}] {e.Message}")));
    }

    private static void CheckHappyEyeballs(double? happyEyeballsDelay, int? interleave)
    {
        if (happyEyeballsDelay is { } delay && !(delay >= 0 && double.IsFinite(delay)))
            throw new ArgumentOutOfRangeException(nameof(happyEyeballsDelay), delay, "The happy eyeballs delay is a finite number of seconds, at least 0 (RFC 8305 recommends 0.25), or null for one attempt at a time.");
        if (interleave is { } count)
            ArgumentOutOfRangeException.ThrowIfNegative(count, nameof(interleave));
    }

    /// <summary>One non-blocking connect: wait until the socket is writable, then ask how it went.</summary>
    private async Coroutine<IStreamSocket> ConnectSocket(INetworkBackend network, IPEndPoint remote, IPEndPoint? local) =>
        await FinishConnecting(network.Connect(remote, local));

    /// <summary>Waits until a connecting socket is writable, then asks how the connect went; the
    /// socket is closed if it failed or the wait was cancelled.</summary>
    private async Coroutine<IStreamSocket> FinishConnecting(IStreamSocket socket)
    {
        var connected = CreateFuture<Unit>();
        var watcher = new ConnectWatcher(connected);
        socket.Watch(watcher, IoReadiness.Writable);
        try
        {
            await connected;
            socket.Watch(watcher, IoReadiness.None);
            socket.FinishConnect();
            return socket;
        }
        catch
        {
            socket.Watch(watcher, IoReadiness.None);
            socket.Close();
            throw;
        }
    }

    private static void CheckPort(int port, bool allowZero)
    {
        if (port < (allowZero ? 0 : 1) || port > 65535)
            throw new ArgumentOutOfRangeException(nameof(port), port, allowZero ? "A port is 0 (any) to 65535." : "A port to connect to is 1 to 65535.");
    }

    /// <summary>Writes a warning to the loop's log (asyncio's <c>logger.warning</c>).</summary>
    internal void LogWarning(string message) => (_log ?? Console.Error).WriteLine(message);

    /// <summary>Completes a future when a connecting socket becomes writable.</summary>
    private sealed class ConnectWatcher(Future<Unit> connected) : IIoWatcher
    {
        public void OnReady(IoReadiness readiness)
        {
            if (!connected.Done)
                connected.SetResult(Unit.Value);
        }
    }
}

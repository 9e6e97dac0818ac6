using System.Net;
using System.Net.Sockets;

namespace Sim.Core;

public sealed partial class EventLoop
{
    /// <summary>
    /// Opens a stream connection to <paramref name="host"/>:<paramref name="port"/> (asyncio's
    /// <c>create_connection</c>): resolves the host, tries its addresses in order until one
    /// connects, then gives the connection a protocol from <paramref name="protocolFactory"/>.
    /// Returns once the protocol's <c>ConnectionMade</c> has run.
    /// </summary>
    /// <param name="protocolFactory">Makes the protocol: an <see cref="IProtocol"/> or an <see cref="IBufferedProtocol"/>.</param>
    /// <param name="host">A name to resolve or an address literal.</param>
    /// <param name="port">The port, 1 to 65535.</param>
    /// <param name="localAddress">The local address (and port, 0 for any) to connect from; in a
    /// simulation it also picks the host the connection starts from.</param>
    /// <param name="family">Only addresses of this family, unless <see cref="AddressFamily.Unspecified"/>.</param>
    /// <exception cref="SocketException">Every address failed (ConnectionRefused, TimedOut,
    /// HostNotFound...); with several different errors, the first error code and all messages.</exception>
    public async Coroutine<(ITransport Transport, TProtocol Protocol)> CreateConnection<TProtocol>(
        Func<TProtocol> protocolFactory, string host, int port, IPEndPoint? localAddress = null, AddressFamily family = AddressFamily.Unspecified)
        where TProtocol : class, IBaseProtocol
    {
        ArgumentNullException.ThrowIfNull(protocolFactory);
        ArgumentException.ThrowIfNullOrEmpty(host);
        CheckPort(port, allowZero: false);
        var network = Network;
        var addresses = await ResolveEndPoints(network, host, port, family);
        var socket = await ConnectFirst(network, addresses, localAddress);
        TProtocol protocol;
        try
        {
            protocol = protocolFactory() ?? throw new InvalidOperationException("The protocol factory returned null.");
        }
        catch
        {
            socket.Close();
            throw;
        }
        var waiter = CreateFuture<Unit>();
        var transport = new SocketTransport(this, socket, protocol, waiter, null);
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
            if (localAddress is not null && localAddress.AddressFamily != address.AddressFamily)
                continue;
            try
            {
                return await ConnectSocket(network, address, localAddress);
            }
            catch (SocketException error)
            {
                errors.Add(error);
            }
        }
        if (errors.Count == 0)
            throw new SocketException((int)SocketError.AddressFamilyNotSupported, $"no address of {localAddress} 's family to connect to");
        if (errors.Count == 1 || errors.All(e => e.Message == errors[0].Message))
            throw errors[0];
        throw new SocketException((int)errors[0].SocketErrorCode, "Multiple exceptions: " + string.Join(", ", errors.Select(e => $"[{e.SocketErrorCode}] {e.Message}")));
    }

    /// <summary>One non-blocking connect: wait until the socket is writable, then ask how it went.</summary>
    private async Coroutine<IStreamSocket> ConnectSocket(INetworkBackend network, IPEndPoint remote, IPEndPoint? local)
    {
        var socket = network.Connect(remote, local);
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

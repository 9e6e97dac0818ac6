using System.Net;
using System.Net.Sockets;

namespace Sim.Core;

public sealed partial class EventLoop
{
    /// <summary>
    /// Opens a datagram (UDP) endpoint (asyncio's <c>create_datagram_endpoint</c>): resolves the
    /// addresses, pairs them by family in the resolver's order, opens a socket bound to
    /// <paramref name="localAddress"/> and connected to <paramref name="remoteAddress"/> (each
    /// when given) for the first pair that works, then gives it a protocol from
    /// <paramref name="protocolFactory"/>. Returns once the protocol's <c>ConnectionMade</c> has run.
    /// </summary>
    /// <param name="protocolFactory">Makes the protocol.</param>
    /// <param name="localAddress">The host (name or literal) and port (0: any) to bind to.</param>
    /// <param name="remoteAddress">The peer to connect to: the endpoint then sends there when
    /// <see cref="IDatagramTransport.SendTo"/> has no address, refuses any other address, receives
    /// only from it, and hears of an unreachable port through <c>ErrorReceived</c>.</param>
    /// <param name="family">Only addresses of this family; required when neither address is given.</param>
    /// <exception cref="ArgumentException">Neither address nor a family; or the two addresses
    /// have no family in common.</exception>
    /// <exception cref="SocketException">Every pair failed (the first error); HostNotFound.</exception>
    public async Coroutine<(IDatagramTransport Transport, TProtocol Protocol)> CreateDatagramEndpoint<TProtocol>(
        Func<TProtocol> protocolFactory,
        (string Host, int Port)? localAddress = null,
        (string Host, int Port)? remoteAddress = null,
        AddressFamily family = AddressFamily.Unspecified)
        where TProtocol : class, IDatagramProtocol
    {
        ArgumentNullException.ThrowIfNull(protocolFactory);
        if (localAddress is null && remoteAddress is null && family == AddressFamily.Unspecified)
            throw new ArgumentException("unexpected address family: give a local address, a remote address or a family", nameof(family));
        if (localAddress is { } l)
            CheckDatagramAddress(l, allowZero: true, nameof(localAddress));
        if (remoteAddress is { } r)
            CheckDatagramAddress(r, allowZero: false, nameof(remoteAddress));
        var network = Network;
        var pairs = await PairDatagramAddresses(network, localAddress, remoteAddress, family);
        var socket = OpenFirstDatagram(network, pairs);
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
        var transport = new DatagramTransport(this, socket, protocol, waiter);
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

    private static void CheckDatagramAddress((string Host, int Port) address, bool allowZero, string name)
    {
        if (string.IsNullOrEmpty(address.Host))
            throw new ArgumentException("An address needs a host (a name or a literal such as 127.0.0.1).", name);
        if (address.Port < (allowZero ? 0 : 1) || address.Port > 65535)
            throw new ArgumentOutOfRangeException(name, address.Port, allowZero ? "A port is 0 (any) to 65535." : "A port to send to is 1 to 65535.");
    }

    /// <summary>
    /// (local, remote) per family, families in the order they first appear among the resolved
    /// addresses (local first), keeping only the families every given address has (asyncio's
    /// <c>addr_pairs_info</c>).
    /// </summary>
    private static async Coroutine<List<(AddressFamily Family, IPEndPoint? Local, IPEndPoint? Remote)>> PairDatagramAddresses(
        INetworkBackend network, (string Host, int Port)? localAddress, (string Host, int Port)? remoteAddress, AddressFamily family)
    {
        if (localAddress is null && remoteAddress is null)
            return [(family, null, null)];
        var pairs = new List<(AddressFamily Family, IPEndPoint? Local, IPEndPoint? Remote)>();
        foreach (var (address, isLocal) in new[] { (localAddress, true), (remoteAddress, false) })
        {
            if (address is not { } given)
                continue;
            foreach (var endPoint in await ResolveEndPoints(network, given.Host, given.Port, family))
            {
                var index = pairs.FindIndex(p => p.Family == endPoint.AddressFamily);
                if (index < 0)
                {
                    pairs.Add((endPoint.AddressFamily, null, null));
                    index = pairs.Count - 1;
                }
                var pair = pairs[index];
                if (isLocal)
                    pairs[index] = (pair.Family, pair.Local ?? endPoint, pair.Remote);
                else
                    pairs[index] = (pair.Family, pair.Local, pair.Remote ?? endPoint);
            }
        }
        pairs.RemoveAll(p => (localAddress is not null && p.Local is null) || (remoteAddress is not null && p.Remote is null));
        if (pairs.Count == 0)
            throw new ArgumentException("can not get address information: the local and remote addresses have no family in common");
        return pairs;
    }

    /// <summary>Opens a socket for each pair in turn until one works; all failing, the first error.</summary>
    private static IDatagramSocket OpenFirstDatagram(INetworkBackend network, List<(AddressFamily Family, IPEndPoint? Local, IPEndPoint? Remote)> pairs)
    {
        SocketException? first = null;
        foreach (var (family, local, remote) in pairs)
        {
            try
            {
                return network.OpenDatagram(family, local, remote);
            }
            catch (SocketException error)
            {
                first ??= error;
            }
        }
        throw first!;
    }
}

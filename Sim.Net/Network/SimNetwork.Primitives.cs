using System.Net;
using System.Net.Sockets;
using Sim.Core;

namespace Sim.Net;

public sealed partial class SimNetwork
{
    /// <summary>The backend's connect: a client socket and its SYN on the way.</summary>
    internal IStreamSocket Connect(IPEndPoint remote, IPEndPoint? local)
    {
        ArgumentNullException.ThrowIfNull(remote);
        var host = local is null ? DefaultHost : BindHost(local.Address);
        var sourceAddress = local is not null && !local.Address.Equals(IPAddress.Any) && !local.Address.Equals(IPAddress.IPv6Any)
            ? local.Address
            : host.SourceAddressFor(remote.Address);
        if (sourceAddress is null || sourceAddress.AddressFamily != remote.AddressFamily)
            throw Error(SocketError.NetworkUnreachable, $"Network is unreachable: {host.Name} has no {remote.AddressFamily} address to reach {remote}");
        int port;
        if (local is { Port: not 0 })
        {
            // Linux refuses the bind of a port a listener holds, SO_REUSEADDR or not.
            if (ListenerHolds(host, local))
                throw Error(SocketError.AddressAlreadyInUse, $"[Errno 98] error while attempting to bind on address {local}: address already in use");
            port = local.Port;
            host.UsePort(port);
        }
        else
        {
            port = host.AllocatePort();
        }
        var socket = SimStreamSocket.StartConnect(this, host, new IPEndPoint(sourceAddress, port), remote);
        return socket;
    }

    /// <summary>The backend's listen.</summary>
    internal IStreamListener Listen(IPEndPoint local, int backlog)
    {
        ArgumentNullException.ThrowIfNull(local);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(backlog);
        var host = BindHost(local.Address);
        var port = local.Port == 0 ? host.AllocatePort() : local.Port;
        var bound = new IPEndPoint(local.Address, port);
        if (ListenerHolds(host, bound))
        {
            if (local.Port == 0)
                host.ReleasePort(port);
            throw Error(SocketError.AddressAlreadyInUse, $"[Errno 98] error while attempting to bind on address {bound}: address already in use");
        }
        if (local.Port != 0)
            host.UsePort(port);
        var listener = new SimStreamListener(this, host, bound, backlog);
        host.Listeners[bound] = listener;
        Record(host, "tcp.listen", $"{Format(bound)} backlog {backlog}");
        return listener;
    }

    /// <summary>Whether a listener on <paramref name="host"/> holds <paramref name="bound"/>'s
    /// port: on its address, on the wildcard address, or on any address when
    /// <paramref name="bound"/> is the wildcard.</summary>
    private static bool ListenerHolds(Host host, IPEndPoint bound)
    {
        var wildcard = bound.AddressFamily == AddressFamily.InterNetworkV6 ? IPAddress.IPv6Any : IPAddress.Any;
        return host.Listeners.ContainsKey(bound)
            || host.Listeners.ContainsKey(new IPEndPoint(wildcard, bound.Port))
            || (bound.Address.Equals(wildcard) && host.Addresses.Any(a => a.AddressFamily == bound.AddressFamily && host.Listeners.ContainsKey(new IPEndPoint(a, bound.Port))));
    }

    /// <summary>
    /// The backend's resolver: a seeded delay (the name's own range, else [0, DnsLatencyMax]),
    /// then the name's failure if it has one (drawn when its probability is below 1), else the
    /// DNS table.
    /// </summary>
    internal async Coroutine<IReadOnlyList<IPAddress>> Resolve(string name, AddressFamily family)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        var (min, max) = Dns.DelayOf(name) ?? (0, Options.DnsLatencyMax);
        await Asyncio.Sleep(min + (_choices.NextDouble() * (max - min)));
        if (Dns.FailureOf(name) is var (error, probability) && (probability >= 1 || _choices.NextBool(probability)))
        {
            Record(DefaultHost, "dns.fail", $"{name}: {error}");
            throw ResolverError(error, name);
        }
        var addresses = Dns.Lookup(name)?
            .Where(a => family == AddressFamily.Unspecified || a.AddressFamily == family)
            .ToList();
        if (addresses is null || addresses.Count == 0)
        {
            Record(DefaultHost, "dns.fail", name);
            throw ResolverError(SocketError.HostNotFound, name);
        }
        Record(DefaultHost, "dns.resolve", $"{name} -> {string.Join(", ", addresses)}");
        return addresses;
    }

    /// <summary>
    /// The backend's reverse lookup: the name of the host owning <paramref name="address"/>, else
    /// the first DNS name it was added under, else null; after the same seeded delay as a lookup.
    /// </summary>
    internal async Coroutine<string?> ResolveAddress(IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        await Asyncio.Sleep(_choices.NextDouble() * Options.DnsLatencyMax);
        var name = HostOf(address)?.Name ?? Dns.NameOf(address);
        Record(DefaultHost, "dns.reverse", $"{address} -> {name ?? "(no name)"}");
        return name;
    }

    /// <summary>The error getaddrinfo's caller sees, with the text CPython's socket.gaierror carries.</summary>
    private static SocketException ResolverError(SocketError error, string name) => Error(error, error switch
    {
        SocketError.TryAgain => $"[Errno -3] Temporary failure in name resolution: {name}",
        SocketError.NoRecovery => $"[Errno -4] Non-recoverable failure in name resolution: {name}",
        SocketError.NoData => $"[Errno -5] No address associated with hostname: {name}",
        _ => $"[Errno -2] Name or service not known: {name}",
    });
}

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
        var wildcard = local.AddressFamily == AddressFamily.InterNetworkV6 ? IPAddress.IPv6Any : IPAddress.Any;
        var conflict = host.Listeners.ContainsKey(bound)
            || host.Listeners.ContainsKey(new IPEndPoint(wildcard, port))
            || (bound.Address.Equals(wildcard) && host.Addresses.Any(a => a.AddressFamily == local.AddressFamily && host.Listeners.ContainsKey(new IPEndPoint(a, port))));
        if (conflict)
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

    /// <summary>The backend's resolver: a seeded delay, then the DNS table.</summary>
    internal async Coroutine<IReadOnlyList<IPAddress>> Resolve(string name, AddressFamily family)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        var delay = _simulation.Choices.NextDouble() * Options.DnsLatencyMax;
        await Asyncio.Sleep(delay);
        var addresses = Dns.Lookup(name)?
            .Where(a => family == AddressFamily.Unspecified || a.AddressFamily == family)
            .ToList();
        if (addresses is null || addresses.Count == 0)
        {
            Record(DefaultHost, "dns.fail", name);
            throw Error(SocketError.HostNotFound, $"[Errno -2] Name or service not known: {name}");
        }
        Record(DefaultHost, "dns.resolve", $"{name} -> {string.Join(", ", addresses)}");
        return addresses;
    }
}

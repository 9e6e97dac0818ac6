using System.Net;
using System.Net.Sockets;
using Sim.Core;

namespace Sim.Real.Sockets;

/// <summary>Name resolution through the operating system's resolver, without blocking the loop.</summary>
internal static class SystemResolver
{
    /// <summary>The resolver runs on the thread pool (getaddrinfo blocks); the loop awaits its answer.</summary>
    public static Coroutine<IReadOnlyList<IPAddress>> Resolve(string host, AddressFamily family) =>
        Resolve(host, family, static (host, family) => Dns.GetHostAddressesAsync(host, family));

    /// <summary><see cref="Resolve(string, AddressFamily)"/> with the lookup given (tests stand in a slow resolver).</summary>
    internal static async Coroutine<IReadOnlyList<IPAddress>> Resolve(string host, AddressFamily family, Func<string, AddressFamily, Task<IPAddress[]>> lookup)
    {
        ArgumentNullException.ThrowIfNull(host);
        var loop = Asyncio.GetRunningLoop();
        var addresses = await loop.WrapTask(lookup(host, family));
        if (addresses.Length == 0)
            throw new SocketException((int)SocketError.HostNotFound);
        return addresses;
    }

    /// <summary>
    /// The name the system resolver gives <paramref name="address"/> (a reverse lookup, what
    /// getnameinfo does without NI_NUMERICHOST), or null when it knows none. Like
    /// <see cref="Resolve(string, AddressFamily)"/>, the lookup blocks a thread-pool thread, never the loop.
    /// </summary>
    public static async Coroutine<string?> ResolveAddress(IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        var loop = Asyncio.GetRunningLoop();
        try
        {
            var entry = await loop.WrapTask(Dns.GetHostEntryAsync(address));
            return string.IsNullOrEmpty(entry.HostName) ? null : entry.HostName;
        }
        catch (SocketException e) when (e.SocketErrorCode is SocketError.HostNotFound or SocketError.NoData)
        {
            return null;
        }
    }
}

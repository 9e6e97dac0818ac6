using System.Net;
using System.Net.Sockets;
using Sim.Core;

namespace Sim.Real.Sockets;

/// <summary>Name resolution through the operating system's resolver, without blocking the loop.</summary>
internal static class SystemResolver
{
    /// <summary>The resolver runs on the thread pool (getaddrinfo blocks); the loop awaits its answer.</summary>
    public static async Coroutine<IReadOnlyList<IPAddress>> Resolve(string host, AddressFamily family)
    {
        ArgumentNullException.ThrowIfNull(host);
        var loop = Asyncio.GetRunningLoop();
        var addresses = await loop.WrapTask(Dns.GetHostAddressesAsync(host, family));
        if (addresses.Length == 0)
            throw new SocketException((int)SocketError.HostNotFound);
        return addresses;
    }
}

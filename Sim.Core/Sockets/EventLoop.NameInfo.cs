using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Sim.Core;

public sealed partial class EventLoop
{
    /// <summary>
    /// The host and port of <paramref name="address"/> as text (asyncio's <c>getnameinfo</c>):
    /// "127.0.0.1" or "::1" and "8080" with <see cref="NameInfoFlags.NumericHost"/> and
    /// <see cref="NameInfoFlags.NumericService"/>. Without <see cref="NameInfoFlags.NumericHost"/>
    /// the host is the address's name when the backend has a reverse lookup
    /// (<see cref="IReverseResolver"/>: the simulation names its hosts) and knows one; otherwise
    /// the answer is getnameinfo's when no name is found: the numbers, or HostNotFound under
    /// <see cref="NameInfoFlags.NameRequired"/>. Ports are never service names.
    /// </summary>
    /// <exception cref="SocketException">HostNotFound, with <see cref="NameInfoFlags.NameRequired"/>
    /// and no name found.</exception>
    public Coroutine<(string Host, string Port)> GetNameInfo(IPEndPoint address, NameInfoFlags flags = NameInfoFlags.None)
    {
        ArgumentNullException.ThrowIfNull(address);
        return NameInfo(_backend as IReverseResolver, address, flags);
    }

    private static async Coroutine<(string Host, string Port)> NameInfo(IReverseResolver? resolver, IPEndPoint address, NameInfoFlags flags)
    {
        string? name = null;
        if ((flags & NameInfoFlags.NumericHost) == 0 && resolver is not null)
            name = await resolver.ResolveAddress(address.Address);
        else
            await Asyncio.Sleep(0);
        if (name is null && (flags & (NameInfoFlags.NumericHost | NameInfoFlags.NameRequired)) == NameInfoFlags.NameRequired)
            throw new SocketException((int)SocketError.HostNotFound, "[Errno -2] Name or service not known");
        return (name ?? address.Address.ToString(), address.Port.ToString(CultureInfo.InvariantCulture));
    }
}

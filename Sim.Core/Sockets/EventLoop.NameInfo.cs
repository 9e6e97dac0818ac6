using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Sim.Core;

public sealed partial class EventLoop
{
    /// <summary>
    /// The host and port of <paramref name="address"/> as text (asyncio's <c>getnameinfo</c>):
    /// "127.0.0.1" or "::1" and "8080" with <see cref="NameInfoFlags.NumericHost"/> and
    /// <see cref="NameInfoFlags.NumericService"/>. The backends have no reverse lookup, so without
    /// them the answer is the same as getnameinfo's when no name is found: the numbers, or
    /// HostNotFound under <see cref="NameInfoFlags.NameRequired"/>.
    /// </summary>
    /// <exception cref="SocketException">HostNotFound, with <see cref="NameInfoFlags.NameRequired"/>
    /// and no name found.</exception>
    public Coroutine<(string Host, string Port)> GetNameInfo(IPEndPoint address, NameInfoFlags flags = NameInfoFlags.None)
    {
        ArgumentNullException.ThrowIfNull(address);
        return NameInfo(address, flags);
    }

    private static async Coroutine<(string Host, string Port)> NameInfo(IPEndPoint address, NameInfoFlags flags)
    {
        await Asyncio.Sleep(0);
        if ((flags & (NameInfoFlags.NumericHost | NameInfoFlags.NameRequired)) == NameInfoFlags.NameRequired)
            throw new SocketException((int)SocketError.HostNotFound, "[Errno -2] Name or service not known");
        return (address.Address.ToString(), address.Port.ToString(CultureInfo.InvariantCulture));
    }
}

using System.Net;
using System.Net.Sockets;
using Sim.Core;
using Sim.Real.Sockets;

namespace Sim.Real.Linux;

/// <summary>The network primitives on non-blocking sockets watched by epoll.</summary>
public sealed unsafe partial class EpollBackend
{
    /// <inheritdoc/>
    public IStreamSocket Connect(IPEndPoint remote, IPEndPoint? local)
    {
        ArgumentNullException.ThrowIfNull(remote);
        var fd = NativeSockets.OpenStream(remote.AddressFamily);
        try
        {
            if (local is not null)
                NativeSockets.Bind(fd, local);
            // Finished at once or not, the socket reports writable when the outcome is known.
            NativeSockets.Connect(fd, remote);
        }
        catch
        {
            NativeSockets.Close(fd, reset: false);
            throw;
        }
        return new EpollStreamSocket(this, fd, remote);
    }

    /// <inheritdoc/>
    public IStreamListener Listen(IPEndPoint local, int backlog)
    {
        ArgumentNullException.ThrowIfNull(local);
        ArgumentOutOfRangeException.ThrowIfNegative(backlog);
        var fd = NativeSockets.OpenStream(local.AddressFamily);
        try
        {
            // asyncio's default for servers: a restarted server can bind while old connections linger.
            NativeSockets.ReuseAddress(fd);
            NativeSockets.Bind(fd, local);
            NativeSockets.Listen(fd, backlog);
        }
        catch
        {
            NativeSockets.Close(fd, reset: false);
            throw;
        }
        return new EpollStreamListener(this, fd);
    }

    /// <inheritdoc/>
    public IDatagramSocket OpenDatagram(AddressFamily family, IPEndPoint? local, IPEndPoint? remote)
    {
        family = family != AddressFamily.Unspecified ? family : local?.AddressFamily ?? remote?.AddressFamily ?? AddressFamily.InterNetwork;
        var fd = NativeSockets.OpenDatagram(family);
        try
        {
            if (local is not null)
                NativeSockets.Bind(fd, local);
            if (remote is not null)
                NativeSockets.ConnectDatagram(fd, remote);
        }
        catch
        {
            NativeSockets.Close(fd, reset: false);
            throw;
        }
        return new EpollDatagramSocket(this, fd, remote);
    }

    /// <inheritdoc/>
    public Coroutine<IReadOnlyList<IPAddress>> Resolve(string host, AddressFamily family) => SystemResolver.Resolve(host, family);
}

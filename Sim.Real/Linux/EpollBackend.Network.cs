using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Sim.Core;
using Sim.Real.Sockets;

namespace Sim.Real.Linux;

/// <summary>The network primitives on non-blocking sockets watched by epoll.</summary>
public sealed unsafe partial class EpollBackend : IReverseResolver
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
        return Adopt(new EpollStreamSocket(this, fd, remote));
    }

    /// <inheritdoc/>
    public IStreamListener Listen(IPEndPoint local, int backlog) =>
        // asyncio's default for servers: a restarted server can bind while old connections linger.
        Listen(local, backlog, new ListenOptions(ReuseAddress: true, ReusePort: false));

    /// <inheritdoc/>
    public IStreamListener Listen(IPEndPoint local, int backlog, ListenOptions options)
    {
        ArgumentNullException.ThrowIfNull(local);
        ArgumentOutOfRangeException.ThrowIfNegative(backlog);
        var fd = NativeSockets.OpenStream(local.AddressFamily);
        try
        {
            if (options.ReuseAddress)
                NativeSockets.ReuseAddress(fd);
            if (options.ReusePort)
                NativeSockets.ReusePort(fd);
            NativeSockets.Bind(fd, local);
            NativeSockets.Listen(fd, backlog);
        }
        catch
        {
            NativeSockets.Close(fd, reset: false);
            throw;
        }
        return Adopt(new EpollStreamListener(this, fd));
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
        return Adopt(new EpollDatagramSocket(this, fd, remote));
    }

    /// <inheritdoc/>
    public Coroutine<IReadOnlyList<IPAddress>> Resolve(string host, AddressFamily family) => SystemResolver.Resolve(host, family);

    /// <inheritdoc/>
    public Coroutine<string?> ResolveAddress(IPAddress address) => SystemResolver.ResolveAddress(address);

    /// <summary>Takes <paramref name="descriptor"/> (a socket or listener just opened) into the set
    /// that <see cref="Dispose"/> closes.</summary>
    internal T Adopt<T>(T descriptor)
        where T : IDisposable
    {
        _open.Add(descriptor);
        return descriptor;
    }

    /// <summary>Forgets a socket or listener that closed itself.</summary>
    internal void Release(IDisposable descriptor) => _open.Remove(descriptor);

    /// <summary>Closes the sockets and listeners still open: a loop closed with connections open
    /// (or with accepted sockets it never handed to a protocol) leaves no descriptor behind.</summary>
    private void CloseOpenDescriptors()
    {
        foreach (var descriptor in _open.ToList())
            descriptor.Dispose();
        Debug.Assert(_open.Count == 0, "a descriptor stayed open through its Dispose");
    }
}

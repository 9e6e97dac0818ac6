using System.Net;
using Sim.Core;
using Sim.Real.Linux;

namespace Sim.Real.Sockets;

/// <summary>
/// A non-blocking UDP socket watched by <see cref="EpollBackend"/>: every call is one system call
/// on the loop thread. An ICMP error on a connected socket shows as EPOLLERR (readable) and comes
/// out of the next recvfrom or sendto as ConnectionRefused, as the kernel reports it.
/// </summary>
internal sealed class EpollDatagramSocket(EpollBackend backend, int fd, EndPoint? remote) : IDatagramSocket, IDisposable
{
    private int _token;
    private bool _closed;
    private IPEndPoint? _local;

    /// <summary>getsockname, kept once the kernel has given the socket a port (at bind, connect or first send).</summary>
    public EndPoint LocalEndPoint
    {
        get
        {
            if (_local is not null || _closed)
                return _local ?? new IPEndPoint(IPAddress.Any, 0);
            var local = NativeSockets.LocalEndPoint(fd);
            if (local.Port != 0)
                _local = local;
            return local;
        }
    }

    public EndPoint? RemoteEndPoint { get; } = remote;

    public void Watch(IIoWatcher watcher, IoReadiness interest)
    {
        ArgumentNullException.ThrowIfNull(watcher);
        ObjectDisposedException.ThrowIf(_closed, this);
        _token = backend.Watch(_token, fd, watcher, interest);
    }

    public int ReceiveFrom(Span<byte> buffer, out EndPoint? remote)
    {
        ObjectDisposedException.ThrowIf(_closed, this);
        var count = NativeSockets.ReceiveFrom(fd, buffer, out var from);
        remote = from;
        return count;
    }

    public bool SendTo(ReadOnlySpan<byte> datagram, EndPoint? remote)
    {
        ObjectDisposedException.ThrowIf(_closed, this);
        return NativeSockets.SendTo(fd, datagram, (IPEndPoint?)remote);
    }

    public void Close()
    {
        if (_closed)
            return;
        _ = LocalEndPoint;
        _token = backend.Watch(_token, fd, NoWatcher.Instance, IoReadiness.None);
        _closed = true;
        backend.Release(this);
        NativeSockets.Close(fd, reset: false);
    }

    /// <summary>Closes, as <see cref="Close"/>: what the backend does to the sockets still open when it is disposed of.</summary>
    public void Dispose() => Close();
}

using System.Net;
using Sim.Core;
using Sim.Real.Linux;

namespace Sim.Real.Sockets;

/// <summary>A non-blocking listening socket watched by <see cref="EpollBackend"/>: TCP, or
/// Unix-domain when bound to <paramref name="unixPath"/>.</summary>
internal sealed class EpollStreamListener(EpollBackend backend, int fd, UnixEndPoint? unixPath = null) : IStreamListener, IDisposable
{
    private int _token;
    private bool _closed;

    public EndPoint LocalEndPoint { get; } = unixPath ?? (EndPoint)NativeSockets.LocalEndPoint(fd);

    public void Watch(IIoWatcher watcher, IoReadiness interest)
    {
        ArgumentNullException.ThrowIfNull(watcher);
        ObjectDisposedException.ThrowIf(_closed, this);
        _token = backend.Watch(_token, fd, watcher, interest);
    }

    public IStreamSocket? TryAccept()
    {
        ObjectDisposedException.ThrowIf(_closed, this);
        while (true)
        {
            var accepted = unixPath is null ? NativeSockets.Accept(fd) : NativeSockets.AcceptUnix(fd);
            if (accepted < 0)
                return null;
            EndPoint remote;
            try
            {
                remote = unixPath is null ? NativeSockets.RemoteEndPoint(accepted) : NativeSockets.UnixEndPointOf(accepted, peer: true);
            }
            catch (System.Net.Sockets.SocketException)
            {
                // The peer reset before we asked who it was (ENOTCONN): nothing to hand over.
                NativeSockets.Close(accepted, reset: false);
                continue;
            }
            return backend.Adopt(new EpollStreamSocket(backend, accepted, remote, unixPath));
        }
    }

    public void Close()
    {
        if (_closed)
            return;
        _token = backend.Watch(_token, fd, NoWatcher.Instance, IoReadiness.None);
        _closed = true;
        backend.Release(this);
        NativeSockets.Close(fd, reset: false);
    }

    /// <summary>Closes, as <see cref="Close"/>: what the backend does to the listeners still open when it is disposed of.</summary>
    public void Dispose() => Close();
}

using System.Net;
using Sim.Core;
using Sim.Real.Linux;

namespace Sim.Real.Sockets;

/// <summary>A non-blocking listening socket watched by <see cref="EpollBackend"/>.</summary>
internal sealed class EpollStreamListener(EpollBackend backend, int fd) : IStreamListener, IDisposable
{
    private int _token;
    private bool _closed;

    public EndPoint LocalEndPoint { get; } = NativeSockets.LocalEndPoint(fd);

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
            var accepted = NativeSockets.Accept(fd);
            if (accepted < 0)
                return null;
            EndPoint remote;
            try
            {
                remote = NativeSockets.RemoteEndPoint(accepted);
            }
            catch (System.Net.Sockets.SocketException)
            {
                // The peer reset before we asked who it was (ENOTCONN): nothing to hand over.
                NativeSockets.Close(accepted, reset: false);
                continue;
            }
            return backend.Adopt(new EpollStreamSocket(backend, accepted, remote));
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

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
        var accepted = NativeSockets.Accept(fd);
        return accepted < 0 ? null : backend.Adopt(new EpollStreamSocket(backend, accepted, NativeSockets.RemoteEndPoint(accepted)));
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

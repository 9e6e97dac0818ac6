using System.ComponentModel;
using Sim.Core;
using Sim.Real.Sockets;

namespace Sim.Real.Linux;

/// <summary>
/// A descriptor user code asked the loop to watch (a pipe, an eventfd...): registered with epoll
/// while something is of interest, never read, written or closed here.
/// </summary>
internal sealed class EpollDescriptorWatch(EpollBackend backend, int fd) : IDescriptorWatch
{
    private const int Ebadf = 9;
    private const int Eperm = 1;
    private const int Eexist = 17;

    private int _token;
    private bool _closed;

    public int Descriptor => fd;

    public void Watch(IIoWatcher watcher, IoReadiness interest)
    {
        ArgumentNullException.ThrowIfNull(watcher);
        ObjectDisposedException.ThrowIf(_closed, this);
        try
        {
            _token = backend.Watch(_token, fd, watcher, interest);
        }
        catch (Win32Exception error)
        {
            throw error.NativeErrorCode switch
            {
                Ebadf => new ObjectDisposedException($"file descriptor {fd}", $"File descriptor {fd} is not open."),
                Eperm => new ArgumentException($"File descriptor {fd} cannot be watched: epoll refuses regular files and directories (they are always ready).", nameof(fd), error),
                Eexist => new ArgumentException($"File descriptor {fd} is already watched by the loop (it belongs to a socket or transport of this loop).", nameof(fd), error),
                _ => error,
            };
        }
    }

    public void Close()
    {
        if (_closed)
            return;
        _token = backend.Watch(_token, fd, NoWatcher.Instance, IoReadiness.None);
        _closed = true;
    }
}

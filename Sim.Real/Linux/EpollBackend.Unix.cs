using Sim.Core;
using Sim.Real.Sockets;

namespace Sim.Real.Linux;

/// <summary>Unix-domain stream sockets: AF_UNIX on the same raw, non-blocking calls as TCP.</summary>
public sealed partial class EpollBackend : IUnixNetworkBackend
{
    /// <inheritdoc/>
    public IStreamSocket ConnectUnix(string path)
    {
        var remote = new UnixEndPoint(path);
        var fd = NativeSockets.OpenUnixStream();
        try
        {
            NativeSockets.ConnectUnix(fd, path);
        }
        catch
        {
            NativeSockets.Close(fd, reset: false);
            throw;
        }
        return Adopt(new EpollStreamSocket(this, fd, remote, UnixEndPoint.Unnamed));
    }

    /// <inheritdoc/>
    public IStreamListener ListenUnix(string path, int backlog)
    {
        var local = new UnixEndPoint(path);
        ArgumentOutOfRangeException.ThrowIfNegative(backlog);
        var fd = NativeSockets.OpenUnixStream();
        try
        {
            NativeSockets.BindUnix(fd, path);
            NativeSockets.Listen(fd, backlog);
        }
        catch
        {
            NativeSockets.Close(fd, reset: false);
            throw;
        }
        return Adopt(new EpollStreamListener(this, fd, local));
    }

    /// <inheritdoc/>
    public UnixPathInfo? StatUnixPath(string path) => UnixPaths.Stat(path);

    /// <inheritdoc/>
    public void RemoveUnixPath(string path) => UnixPaths.Remove(path);
}

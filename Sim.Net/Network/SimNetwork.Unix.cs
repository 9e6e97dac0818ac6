using System.Net.Sockets;
using Sim.Core;

namespace Sim.Net;

public sealed partial class SimNetwork
{
    /// <summary>The backend's Unix connect, in the default host's namespace: established or failed at once.</summary>
    internal IStreamSocket ConnectUnix(string path)
    {
        var endPoint = new UnixEndPoint(path);
        var host = DefaultHost;
        if (!host.Paths.TryGetValue(path, out var file))
            throw UnixConnectFailed(host, SocketError.AddressNotAvailable, $"[Errno 2] No such file or directory: '{path}'");
        if (file.Listener is not { } listener)
            throw UnixConnectFailed(host, SocketError.ConnectionRefused, $"[Errno 111] Connection refused: '{path}'");
        if (listener.IsQueueFull)
            throw UnixConnectFailed(host, SocketError.WouldBlock, $"[Errno 11] Resource temporarily unavailable: the backlog of '{path}' is full");
        return SimStreamSocket.ConnectUnix(this, host, listener, endPoint);
    }

    /// <summary>A Unix connect that fails at once, with the error Linux gives (ENOENT as .NET's
    /// sockets report it), recorded in the trace.</summary>
    private SocketException UnixConnectFailed(Host host, SocketError error, string message)
    {
        Record(host, "unix.connect-failed", message);
        return Error(error, message);
    }

    /// <summary>The backend's Unix listen: creates the socket file, refusing a path already taken.</summary>
    internal IStreamListener ListenUnix(string path, int backlog)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(backlog);
        var endPoint = new UnixEndPoint(path);
        var host = DefaultHost;
        if (host.Paths.ContainsKey(path))
            throw Error(SocketError.AddressAlreadyInUse, $"[Errno 98] Address already in use: '{path}'");
        var file = host.NewPathEntry(isSocket: true);
        var listener = new SimStreamListener(this, host, endPoint, backlog, file);
        file.Listener = listener;
        host.Paths[path] = file;
        Record(host, "unix.listen", $"{path} backlog {backlog}");
        return listener;
    }

    /// <summary>The backend's stat, in the default host's namespace.</summary>
    internal UnixPathInfo? StatUnixPath(string path) =>
        DefaultHost.Paths.TryGetValue(path, out var entry) ? new UnixPathInfo(entry.IsSocket, entry.Identity) : null;

    /// <summary>The backend's unlink, in the default host's namespace.</summary>
    internal void RemoveUnixPath(string path)
    {
        if (DefaultHost.RemovePath(path))
            Record(DefaultHost, "unix.unlink", path);
    }
}

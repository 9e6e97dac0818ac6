using System.Net.Sockets;
using Sim.Core;
using Sim.Real.Sockets;

namespace Sim.Real.Portable;

/// <summary>
/// Unix-domain stream sockets on .NET's sockets (Linux, macOS, Windows 10 1803+), addressed by
/// <see cref="UnixEndPoint"/>: unlike <see cref="UnixDomainSocketEndPoint"/>, binding to it does
/// not make .NET delete the socket file on dispose, which would remove another server's file
/// when a newer server took the path over. The loop decides about socket files.
/// </summary>
public sealed partial class SocketBackend : IUnixNetworkBackend
{
    /// <inheritdoc/>
    public IStreamSocket ConnectUnix(string path)
    {
        var remote = new UnixEndPoint(path);
        ObjectDisposedException.ThrowIf(_disposed, this);
        var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        var connecting = new SocketStreamSocket(this, socket, remote, connected: false);
        try
        {
            connecting.StartConnect(remote);
        }
        catch (SocketException error) when (error.SocketErrorCode == SocketError.AddressNotAvailable)
        {
            // ENOENT, which .NET reports as AddressNotAvailable: say what it means.
            throw new SocketException((int)SocketError.AddressNotAvailable, $"[Errno 2] No such file or directory: '{path}'");
        }
        return connecting;
    }

    /// <inheritdoc/>
    public IStreamListener ListenUnix(string path, int backlog)
    {
        var local = new UnixEndPoint(path);
        ArgumentOutOfRangeException.ThrowIfNegative(backlog);
        ObjectDisposedException.ThrowIf(_disposed, this);
        var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            socket.Bind(local);
            socket.Listen(backlog);
        }
        catch (SocketException error) when (error.SocketErrorCode == SocketError.AddressNotAvailable)
        {
            socket.Dispose();
            throw new SocketException((int)SocketError.AddressNotAvailable, $"[Errno 2] No such file or directory: '{path}'");
        }
        catch
        {
            socket.Dispose();
            throw;
        }
        return new SocketStreamListener(this, socket);
    }

    /// <inheritdoc/>
    public UnixPathInfo? StatUnixPath(string path) => UnixPaths.Stat(path);

    /// <inheritdoc/>
    public void RemoveUnixPath(string path) => UnixPaths.Remove(path);
}

namespace Sim.Core;

/// <summary>
/// The Unix-domain stream socket primitives of a backend (implemented beside
/// <see cref="INetworkBackend"/> by the backends that have them). They hand out the same
/// <see cref="IStreamSocket"/> and <see cref="IStreamListener"/> as TCP, addressed by
/// <see cref="UnixEndPoint"/>, so the same transports and servers run over them. What happens to
/// socket files (a stale one removed before a bind, a server's own removed when it closes) is
/// decided by the loop from <see cref="StatUnixPath"/> and <see cref="RemoveUnixPath"/>.
/// Paths reach the backend checked (<see cref="UnixEndPoint.CheckPath"/>).
/// </summary>
public interface IUnixNetworkBackend
{
    /// <summary>
    /// Starts a non-blocking connect to the socket bound at <paramref name="path"/>, from an
    /// unnamed socket. As with <see cref="INetworkBackend.Connect"/>, the socket reports
    /// <see cref="IoReadiness.Writable"/> once the outcome is known and
    /// <see cref="IStreamSocket.FinishConnect"/> tells it; a backend may also fail at once (a
    /// local connect usually knows at once).
    /// </summary>
    /// <exception cref="System.Net.Sockets.SocketException">AddressNotAvailable (nothing at the
    /// path: Linux's ENOENT as .NET reports it), ConnectionRefused (a file that is not a listening
    /// socket), AccessDenied...</exception>
    IStreamSocket ConnectUnix(string path);

    /// <summary>Binds a new socket to <paramref name="path"/>, creating the socket file, and
    /// listens with a queue of at most <paramref name="backlog"/> connections.</summary>
    /// <exception cref="System.Net.Sockets.SocketException">AddressAlreadyInUse (any file is at
    /// the path), AddressNotAvailable (its directory does not exist), AccessDenied...</exception>
    IStreamListener ListenUnix(string path, int backlog);

    /// <summary>What is at <paramref name="path"/> (following symbolic links, as <c>stat</c>
    /// does), or null when nothing is.</summary>
    /// <exception cref="IOException">The path could not be examined (permissions...).</exception>
    UnixPathInfo? StatUnixPath(string path);

    /// <summary>Removes the file at <paramref name="path"/> (<c>unlink</c>); nothing there is not an error.</summary>
    /// <exception cref="IOException">The file could not be removed.</exception>
    void RemoveUnixPath(string path);
}

using System.Net.Sockets;

namespace Sim.Core;

public sealed partial class EventLoop
{
    /// <summary>
    /// Opens a stream connection to the Unix-domain socket at <paramref name="path"/> (asyncio's
    /// <c>create_unix_connection</c>) and gives it a protocol from
    /// <paramref name="protocolFactory"/>. Returns once the protocol's <c>ConnectionMade</c> has
    /// run. The transport's <c>peername</c> is the path, its <c>sockname</c> "" (the client socket
    /// is unnamed).
    /// </summary>
    /// <param name="protocolFactory">Makes the protocol: an <see cref="IProtocol"/> or an <see cref="IBufferedProtocol"/>.</param>
    /// <param name="path">The socket file's path (at most <see cref="UnixEndPoint.PathBytesMax"/> bytes in UTF-8).</param>
    /// <exception cref="ArgumentException">The path is empty, too long or holds a NUL.</exception>
    /// <exception cref="SocketException">AddressNotAvailable: nothing at the path (Python's
    /// FileNotFoundError; .NET's own Unix sockets report ENOENT so); ConnectionRefused: a file
    /// nobody listens on (a stale socket, a regular file).</exception>
    public async Coroutine<(ITransport Transport, TProtocol Protocol)> CreateUnixConnection<TProtocol>(Func<TProtocol> protocolFactory, string path)
        where TProtocol : class, IBaseProtocol
    {
        ArgumentNullException.ThrowIfNull(protocolFactory);
        UnixEndPoint.CheckPath(path, nameof(path));
        var unix = UnixNetwork;
        var socket = await FinishConnecting(unix.ConnectUnix(path));
        return await StartTransport(socket, protocolFactory);
    }

    /// <summary>
    /// Listens on a Unix-domain socket at <paramref name="path"/> (asyncio's
    /// <c>create_unix_server</c>, CPython 3.13): a socket file already there is removed first if it
    /// is a socket (a stale one left by a server that did not clean up — or a live one, whose
    /// server keeps its connections but is no longer reachable), while any other file makes the
    /// bind fail. Each accepted connection gets a protocol from <paramref name="protocolFactory"/>;
    /// its <c>sockname</c> is the path, its <c>peername</c> "" (an unnamed client).
    /// </summary>
    /// <param name="protocolFactory">Makes each connection's protocol.</param>
    /// <param name="path">The socket file to create (at most <see cref="UnixEndPoint.PathBytesMax"/> bytes in UTF-8).</param>
    /// <param name="backlog">Connections that may wait to be accepted; also how many are accepted per readiness.</param>
    /// <param name="startServing">Accept at once (else call <see cref="Server.StartServing"/> or <see cref="Server.ServeForever"/>).</param>
    /// <param name="cleanupSocket">Remove the socket file when the server is closed, unless another
    /// file has replaced it meanwhile (asyncio's <c>cleanup_socket</c>, new in 3.13).</param>
    /// <exception cref="ArgumentException">The path is empty, too long or holds a NUL.</exception>
    /// <exception cref="SocketException">AddressAlreadyInUse: a file that is not a socket is at the
    /// path; AddressNotAvailable: its directory does not exist; AccessDenied...</exception>
    public async Coroutine<Server> CreateUnixServer<TProtocol>(
        Func<TProtocol> protocolFactory, string path, int backlog = DefaultBacklog, bool startServing = true, bool cleanupSocket = true)
        where TProtocol : class, IBaseProtocol
    {
        ArgumentNullException.ThrowIfNull(protocolFactory);
        UnixEndPoint.CheckPath(path, nameof(path));
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(backlog);
        var unix = UnixNetwork;
        RemoveStaleSocket(unix, path);
        IStreamListener listener;
        try
        {
            listener = unix.ListenUnix(path, backlog);
        }
        catch (SocketException error) when (error.SocketErrorCode == SocketError.AddressAlreadyInUse)
        {
            throw new SocketException((int)SocketError.AddressAlreadyInUse, $"[Errno 98] Address '{path}' is already in use");
        }
        var cleanup = cleanupSocket ? SocketFileCleanup(unix, path) : null;
        var server = new Server(this, [listener], protocolFactory, backlog, cleanup);
        if (startServing)
            await StartServingOrClose(server);
        return server;
    }

    /// <summary>The backend's Unix-domain socket primitives.</summary>
    private IUnixNetworkBackend UnixNetwork =>
        _backend as IUnixNetworkBackend
        ?? throw new NotSupportedException($"The loop's backend ({_backend.GetType().Name}) has no Unix-domain sockets.");

    /// <summary>asyncio removes a socket file found at the path before binding (any other file is
    /// left for the bind to refuse); failing to look or remove is logged, and the bind decides.</summary>
    private void RemoveStaleSocket(IUnixNetworkBackend unix, string path)
    {
        try
        {
            if (unix.StatUnixPath(path) is { IsSocket: true })
                unix.RemoveUnixPath(path);
        }
        catch (Exception error) when (IsFileSystemError(error))
        {
            LogWarning($"Unable to check or remove stale UNIX socket '{path}': {error.Message}");
        }
    }

    /// <summary>What closing the server does to its socket file: removes it if it is still the
    /// file the bind created (a later server may have replaced it), as asyncio 3.13 does. Null
    /// when the file cannot be examined now (asyncio then does not clean up either).</summary>
    private Action? SocketFileCleanup(IUnixNetworkBackend unix, string path)
    {
        UnixPathInfo? bound;
        try
        {
            bound = unix.StatUnixPath(path);
        }
        catch (Exception error) when (IsFileSystemError(error))
        {
            bound = null;
        }
        if (bound is not { } created)
            return null;
        return () =>
        {
            try
            {
                if (unix.StatUnixPath(path) is { } now && now.Identity == created.Identity)
                    unix.RemoveUnixPath(path);
            }
            catch (Exception error) when (IsFileSystemError(error))
            {
                LogWarning($"Unable to clean up listening UNIX socket '{path}': {error.Message}");
            }
        };
    }

    /// <summary>An operating error of the file system (asyncio's OSError around stat and unlink).</summary>
    private static bool IsFileSystemError(Exception error) => error is IOException or UnauthorizedAccessException;
}

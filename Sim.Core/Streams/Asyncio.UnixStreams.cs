namespace Sim.Core;

public static partial class Asyncio
{
    /// <summary>
    /// Connects to the Unix-domain socket at <paramref name="path"/> on the running loop and
    /// returns a reader and a writer (asyncio's <c>open_unix_connection</c>).
    /// </summary>
    /// <exception cref="ArgumentException">The path is empty, too long or holds a NUL.</exception>
    /// <exception cref="System.Net.Sockets.SocketException">AddressNotAvailable (nothing at the
    /// path), ConnectionRefused (nobody listens there), ...</exception>
    public static async Coroutine<(StreamReader Reader, StreamWriter Writer)> OpenUnixConnection(string path, int limit = StreamReader.DefaultLimit)
    {
        var loop = GetRunningLoop();
        var reader = new StreamReader(limit, loop);
        var protocol = new StreamReaderProtocol(reader, loop: loop);
        var (transport, _) = await loop.CreateUnixConnection(() => protocol, path);
        var writer = new StreamWriter(transport, protocol, reader, loop);
        return (reader, writer);
    }

    /// <summary>
    /// Starts a Unix-domain socket server at <paramref name="path"/> on the running loop (asyncio's
    /// <c>start_unix_server</c>): each connection runs <paramref name="clientConnected"/> with its
    /// reader and writer, as a task. The other parameters are
    /// <see cref="EventLoop.CreateUnixServer{TProtocol}"/>'s.
    /// </summary>
    public static Coroutine<Server> StartUnixServer(
        Func<StreamReader, StreamWriter, Coroutine> clientConnected, string path,
        int limit = StreamReader.DefaultLimit, int backlog = 100, bool startServing = true, bool cleanupSocket = true)
    {
        ArgumentNullException.ThrowIfNull(clientConnected);
        var loop = GetRunningLoop();
        return loop.CreateUnixServer(
            () => new StreamReaderProtocol(new StreamReader(limit, loop), clientConnected, loop),
            path, backlog, startServing, cleanupSocket);
    }
}

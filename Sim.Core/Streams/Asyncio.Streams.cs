using System.Net;

namespace Sim.Core;

public static partial class Asyncio
{
    /// <summary>
    /// Connects to <paramref name="host"/>:<paramref name="port"/> on the running loop and returns
    /// a reader and a writer (asyncio's <c>open_connection</c>).
    /// </summary>
    /// <remarks><paramref name="happyEyeballsDelay"/> and <paramref name="interleave"/> are
    /// <see cref="EventLoop.CreateConnection{TProtocol}"/>'s.</remarks>
    /// <exception cref="System.Net.Sockets.SocketException">ConnectionRefused, HostNotFound, ...</exception>
    public static async Coroutine<(StreamReader Reader, StreamWriter Writer)> OpenConnection(
        string host, int port, int limit = StreamReader.DefaultLimit, IPEndPoint? localAddress = null,
        double? happyEyeballsDelay = null, int? interleave = null)
    {
        var loop = GetRunningLoop();
        var reader = new StreamReader(limit, loop);
        var protocol = new StreamReaderProtocol(reader, loop: loop);
        var (transport, _) = await loop.CreateConnection(() => protocol, host, port, localAddress,
            happyEyeballsDelay: happyEyeballsDelay, interleave: interleave);
        var writer = new StreamWriter(transport, protocol, reader, loop);
        return (reader, writer);
    }

    /// <summary>
    /// Starts a server on the running loop (asyncio's <c>start_server</c>): each connection runs
    /// <paramref name="clientConnected"/> with its reader and writer, as a task.
    /// </summary>
    /// <remarks><paramref name="reuseAddress"/> and <paramref name="reusePort"/> are
    /// <see cref="EventLoop.CreateServer{TProtocol}"/>'s.</remarks>
    public static Coroutine<Server> StartServer(
        Func<StreamReader, StreamWriter, Coroutine> clientConnected, string? host, int port,
        int limit = StreamReader.DefaultLimit, int backlog = 100, bool startServing = true,
        bool? reuseAddress = null, bool reusePort = false)
    {
        ArgumentNullException.ThrowIfNull(clientConnected);
        var loop = GetRunningLoop();
        return loop.CreateServer(
            () => new StreamReaderProtocol(new StreamReader(limit, loop), clientConnected, loop),
            host, port, backlog: backlog, startServing: startServing, reuseAddress: reuseAddress, reusePort: reusePort);
    }
}

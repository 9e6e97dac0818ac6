using System.Net;
using System.Net.Sockets;
using System.Runtime.CompilerServices;
using System.Text;
using Sim.Core;
using static Sim.Tests.Conformance.ConformanceHelpers;

namespace Sim.Tests.Conformance;

/// <summary>
/// Unix-domain stream sockets end to end, and <see cref="EventLoop.ConnectAcceptedSocket{TProtocol}"/>,
/// written once against Sim.Core's public API: the same transports and servers as TCP over a
/// socket path, asyncio's socket-file rules (a stale socket removed before a bind, the server's own
/// file removed when it closes unless replaced), its errors, and its extra info. A subclass per
/// backend supplies a loop and a file namespace (the simulated host's, or a temporary directory).
/// </summary>
[Trait("Category", "Conformance")]
public abstract class UnixStreamConformance
{
    /// <summary>A fresh loop on the backend under test.</summary>
    protected abstract EventLoop CreateLoop();

    /// <summary>The directory socket files go in for <paramref name="test"/>: created before the
    /// test and removed after it.</summary>
    protected abstract string DirectoryFor(string test);

    /// <summary>Called before the test's loop runs (a real backend creates the directory).</summary>
    protected virtual void CreateDirectory(string directory)
    {
    }

    /// <summary>Called after the test (a real backend removes the directory and all in it).</summary>
    protected virtual void RemoveDirectory(string directory)
    {
    }

    /// <summary>Whether a file is at <paramref name="path"/> in the backend's namespace.</summary>
    protected abstract bool FileExists(EventLoop loop, string path);

    /// <summary>Creates a plain file (not a socket) at <paramref name="path"/>.</summary>
    protected abstract void CreatePlainFile(EventLoop loop, string path);

    /// <summary>Loop time (seconds) after which a test is stopped as hung.</summary>
    protected virtual double TimeLimit => 30;

    /// <summary>Runs <paramref name="body"/> with a path maker for this test's socket files.</summary>
    private void Run(Func<EventLoop, Func<string, string>, Coroutine> body, [CallerMemberName] string test = "")
    {
        var directory = DirectoryFor(test);
        CreateDirectory(directory);
        var loop = CreateLoop();
        var errors = new List<string>();
        loop.SetExceptionHandler((_, context) => errors.Add(context.ToString()));
        try
        {
            var guard = loop.CallLater(TimeLimit, loop.Stop);
            loop.RunUntilComplete(body(loop, name => directory + "/" + name));
            guard.Cancel();
            Assert.True(errors.Count == 0, "the loop reported: " + string.Join("\n", errors));
        }
        finally
        {
            if (!loop.IsRunning)
                loop.Close();
            RemoveDirectory(directory);
        }
    }

    private static async Coroutine<(Server Server, List<RecordingProtocol> Accepted)> Serve(
        EventLoop loop, string path, Func<RecordingProtocol>? factory = null, bool cleanupSocket = true)
    {
        var accepted = new List<RecordingProtocol>();
        var server = await loop.CreateUnixServer(() =>
        {
            var protocol = factory?.Invoke() ?? new RecordingProtocol(loop);
            accepted.Add(protocol);
            return protocol;
        }, path, cleanupSocket: cleanupSocket);
        return (server, accepted);
    }

    private static RecordingProtocol EchoProtocol(EventLoop loop) => new(loop)
    {
        OnData = (p, data) => p.Transport!.Write(data),
        OnEof = p => p.Transport!.Close(),
        KeepOpenOnEof = true,
    };

    [Fact]
    public void Protocols_EchoOverUnixPath_ArrivesIntactThenEofAndCleanClose()
    {
        var message = Pattern(300_000);
        Run(async (loop, path) =>
        {
            var (server, accepted) = await Serve(loop, path("echo.sock"), () => EchoProtocol(loop));
            var (transport, client) = await loop.CreateUnixConnection(() => new RecordingProtocol(loop), path("echo.sock"));
            Assert.True(client.Made.Done);
            transport.Write(message);
            transport.WriteEof();
            Assert.Null(await client.Lost);
            Assert.Equal(message, client.Received);
            Assert.Equal(["made", "data", "eof", "lost:None"], client.Events);
            Assert.Null(await accepted[0].Lost);
            Assert.Equal(["made", "data", "eof", "lost:None"], accepted[0].Events);
            server.Close();
            await server.WaitClosed();
        });
    }

    [Fact]
    public void ServerClosedBeforeAccepting_ItsQueuedClientIsReset()
    {
        Run(async (loop, path) =>
        {
            // Linux resets a Unix-domain connection its listener never accepted (ECONNRESET at
            // the client's next receive), as it does a TCP one.
            var server = await loop.CreateUnixServer(() => new RecordingProtocol(loop), path("queued.sock"), startServing: false);
            var (_, client) = await loop.CreateUnixConnection(() => new RecordingProtocol(loop), path("queued.sock"));
            server.Close();
            var reset = Assert.IsType<SocketException>(await client.Lost);
            Assert.Equal(SocketError.ConnectionReset, reset.SocketErrorCode);
            await server.WaitClosed();
        });
    }

    [Fact]
    public void Streams_LineEchoOverUnixPath_EveryLineComesBackThenEof()
    {
        Run(async (loop, path) =>
        {
            var server = await Asyncio.StartUnixServer(async (reader, writer) =>
            {
                while (await reader.ReadLine() is { Length: > 0 } line)
                {
                    writer.Write(line);
                    await writer.Drain();
                }
                writer.Close();
                await writer.WaitClosed();
            }, path("lines.sock"));
            var (clientReader, clientWriter) = await Asyncio.OpenUnixConnection(path("lines.sock"));
            for (var i = 0; i < 30; i++)
            {
                var line = Ascii($"line {i} {new string('x', i * 53)}\n");
                clientWriter.Write(line);
                await clientWriter.Drain();
                Assert.Equal(line, await clientReader.ReadLine());
            }
            clientWriter.WriteEof();
            Assert.Empty(await clientReader.Read());
            Assert.True(clientReader.AtEof());
            clientWriter.Close();
            await clientWriter.WaitClosed();
            server.Close();
            await server.WaitClosed();
        });
    }

    [Fact]
    public void HalfClose_ServerKeepsConnectionOpenOnEof_AndRepliesAfterIt()
    {
        Run(async (loop, path) =>
        {
            var (server, accepted) = await Serve(loop, path("half.sock"), () => new RecordingProtocol(loop)
            {
                KeepOpenOnEof = true,
                OnEof = p =>
                {
                    Assert.False(p.Transport!.IsClosing);
                    p.Transport.Write("got "u8);
                    p.Transport.Write(p.Received);
                    p.Transport.Close();
                },
            });
            var (transport, client) = await loop.CreateUnixConnection(() => new RecordingProtocol(loop), path("half.sock"));
            Assert.True(transport.CanWriteEof());
            transport.Write("question"u8);
            transport.WriteEof();
            Assert.False(transport.IsClosing);
            Assert.Null(await client.Lost);
            Assert.Equal("got question"u8.ToArray(), client.Received);
            Assert.Equal(["made", "data", "eof", "lost:None"], client.Events);
            Assert.Equal(["made", "data", "eof", "lost:None"], accepted[0].Events);
            server.Close();
            await server.WaitClosed();
        });
    }

    [Fact]
    public void ExtraInfo_ClientPeerIsThePath_ServerSockIsThePath_UnnamedEndsAreEmpty()
    {
        Run(async (loop, path) =>
        {
            var socketPath = path("info.sock");
            var (server, accepted) = await Serve(loop, socketPath);
            Assert.Equal([new UnixEndPoint(socketPath)], server.Sockets);
            var (transport, _) = await loop.CreateUnixConnection(() => new RecordingProtocol(loop), socketPath);
            Assert.Equal(socketPath, transport.GetExtraInfo("peername"));
            Assert.Equal("", transport.GetExtraInfo("sockname"));
            Assert.IsAssignableFrom<IStreamSocket>(transport.GetExtraInfo("socket"));
            await Until(() => accepted.Count == 1 && accepted[0].Made.Done);
            Assert.Equal(socketPath, accepted[0].Transport!.GetExtraInfo("sockname"));
            Assert.Equal("", accepted[0].Transport!.GetExtraInfo("peername"));
            transport.Close();
            Assert.Null(await accepted[0].Lost);
            server.Close();
            await server.WaitClosed();
        });
    }

    [Fact]
    public void Abort_OverUnix_PeerSeesEndOfStream_SinceUnixSocketsHaveNoReset()
    {
        Run(async (loop, path) =>
        {
            var (server, accepted) = await Serve(loop, path("abort.sock"));
            var (transport, client) = await loop.CreateUnixConnection(() => new RecordingProtocol(loop), path("abort.sock"));
            await Until(() => accepted.Count == 1 && accepted[0].Made.Done);
            transport.Abort();
            Assert.Null(await client.Lost);
            Assert.Null(await accepted[0].Lost);
            Assert.Equal(["made", "eof", "lost:None"], accepted[0].Events);
            server.Close();
            await server.WaitClosed();
        });
    }

    [Fact]
    public void Connect_NothingAtThePath_RaisesAddressNotAvailable()
    {
        Run(async (loop, path) =>
        {
            var error = Assert.IsType<SocketException>(await Raises(loop.CreateUnixConnection(() => new RecordingProtocol(loop), path("missing.sock"))));
            Assert.Equal(SocketError.AddressNotAvailable, error.SocketErrorCode);
            Assert.Contains("No such file or directory", error.Message, StringComparison.Ordinal);
            var streams = Assert.IsType<SocketException>(await Raises(Asyncio.OpenUnixConnection(path("missing.sock"))));
            Assert.Equal(SocketError.AddressNotAvailable, streams.SocketErrorCode);
        });
    }

    [Fact]
    public void Connect_StaleSocketFile_RaisesConnectionRefused()
    {
        Run(async (loop, path) =>
        {
            var (server, _) = await Serve(loop, path("stale.sock"), cleanupSocket: false);
            server.Close();
            await server.WaitClosed();
            Assert.True(FileExists(loop, path("stale.sock")), "without cleanup the socket file stays");
            var error = Assert.IsType<SocketException>(await Raises(loop.CreateUnixConnection(() => new RecordingProtocol(loop), path("stale.sock"))));
            Assert.Equal(SocketError.ConnectionRefused, error.SocketErrorCode);
        });
    }

    [Fact]
    public void Connect_PlainFile_RaisesConnectionRefused()
    {
        Run(async (loop, path) =>
        {
            CreatePlainFile(loop, path("plain"));
            var error = Assert.IsType<SocketException>(await Raises(loop.CreateUnixConnection(() => new RecordingProtocol(loop), path("plain"))));
            Assert.Equal(SocketError.ConnectionRefused, error.SocketErrorCode);
        });
    }

    [Fact]
    public void CreateUnixServer_OnPlainFile_RaisesAddressAlreadyInUse_AndLeavesTheFile()
    {
        Run(async (loop, path) =>
        {
            CreatePlainFile(loop, path("plain"));
            var error = Assert.IsType<SocketException>(await Raises(Serve(loop, path("plain"))));
            Assert.Equal(SocketError.AddressAlreadyInUse, error.SocketErrorCode);
            Assert.Equal($"[Errno 98] Address '{path("plain")}' is already in use", error.Message);
            Assert.True(FileExists(loop, path("plain")));
        });
    }

    [Fact]
    public void CreateUnixServer_OverStaleSocketFile_RemovesItAndServes()
    {
        Run(async (loop, path) =>
        {
            var (stale, _) = await Serve(loop, path("reuse.sock"), cleanupSocket: false);
            stale.Close();
            await stale.WaitClosed();
            var (server, accepted) = await Serve(loop, path("reuse.sock"), () => EchoProtocol(loop));
            var (transport, client) = await loop.CreateUnixConnection(() => new RecordingProtocol(loop), path("reuse.sock"));
            transport.Write("ping"u8);
            transport.WriteEof();
            Assert.Null(await client.Lost);
            Assert.Equal("ping"u8.ToArray(), client.Received);
            server.Close();
            await server.WaitClosed();
        });
    }

    [Fact]
    public void ServerClose_RemovesItsSocketFile_UnlessCleanupIsOff()
    {
        Run(async (loop, path) =>
        {
            var (server, _) = await Serve(loop, path("clean.sock"));
            Assert.True(FileExists(loop, path("clean.sock")));
            server.Close();
            Assert.False(FileExists(loop, path("clean.sock")), "cleanup_socket removes the file at close");
            await server.WaitClosed();
            var (kept, _) = await Serve(loop, path("kept.sock"), cleanupSocket: false);
            kept.Close();
            await kept.WaitClosed();
            Assert.True(FileExists(loop, path("kept.sock")));
        });
    }

    [Fact]
    public void ServerClose_AfterANewerServerTookThePath_LeavesTheNewerServersFile()
    {
        Run(async (loop, path) =>
        {
            var (first, _) = await Serve(loop, path("taken.sock"));
            // asyncio removes any socket file before binding: the newer server takes the path over.
            var (second, accepted) = await Serve(loop, path("taken.sock"), () => EchoProtocol(loop));
            first.Close();
            await first.WaitClosed();
            Assert.True(FileExists(loop, path("taken.sock")), "the first server must not remove the second's file");
            var (transport, client) = await loop.CreateUnixConnection(() => new RecordingProtocol(loop), path("taken.sock"));
            transport.Write("hi"u8);
            transport.WriteEof();
            Assert.Null(await client.Lost);
            Assert.Equal("hi"u8.ToArray(), client.Received);
            Assert.Single(accepted);
            second.Close();
            await second.WaitClosed();
            Assert.False(FileExists(loop, path("taken.sock")));
        });
    }

    [Fact]
    public void ServerClose_AcceptedConnectionsStayOpen_AndNewConnectsFail()
    {
        Run(async (loop, path) =>
        {
            var (server, accepted) = await Serve(loop, path("open.sock"), () => EchoProtocol(loop));
            var (transport, client) = await loop.CreateUnixConnection(() => new RecordingProtocol(loop), path("open.sock"));
            await Until(() => accepted.Count == 1 && accepted[0].Made.Done);
            server.Close();
            var waitClosed = loop.CreateTask(server.WaitClosed());
            var error = Assert.IsType<SocketException>(await Raises(loop.CreateUnixConnection(() => new RecordingProtocol(loop), path("open.sock"))));
            Assert.Equal(SocketError.AddressNotAvailable, error.SocketErrorCode);
            transport.Write("still here"u8);
            transport.WriteEof();
            Assert.Null(await client.Lost);
            Assert.Equal("still here"u8.ToArray(), client.Received);
            await waitClosed;
        });
    }

    [Fact]
    public void BadPaths_EmptyTooLongOrNul_ThrowArgumentExceptionsSayingWhy()
    {
        Run(async (loop, path) =>
        {
            var tooLong = "/" + new string('x', UnixEndPoint.PathBytesMax);
            Assert.IsType<ArgumentException>(await Raises(loop.CreateUnixConnection(() => new RecordingProtocol(loop), "")));
            var longError = Assert.IsType<ArgumentException>(await Raises(loop.CreateUnixConnection(() => new RecordingProtocol(loop), tooLong)));
            Assert.Contains($"at most {UnixEndPoint.PathBytesMax} bytes", longError.Message, StringComparison.Ordinal);
            Assert.IsType<ArgumentException>(await Raises(loop.CreateUnixServer(() => new RecordingProtocol(loop), "")));
            Assert.IsType<ArgumentException>(await Raises(loop.CreateUnixServer(() => new RecordingProtocol(loop), tooLong)));
            Assert.IsType<ArgumentException>(await Raises(loop.CreateUnixServer(() => new RecordingProtocol(loop), "bad\0path")));
            Assert.IsType<ArgumentNullException>(await Raises(loop.CreateUnixServer(() => new RecordingProtocol(loop), null!)));
            Assert.IsType<ArgumentException>(await Raises(Asyncio.OpenUnixConnection("")));
            Assert.IsType<ArgumentException>(await Raises(Asyncio.StartUnixServer((_, _) => Noop(), tooLong)));
            Assert.IsType<ArgumentOutOfRangeException>(await Raises(loop.CreateUnixServer(() => new RecordingProtocol(loop), path("backlog.sock"), backlog: 0)));
            Assert.False(FileExists(loop, path("backlog.sock")));
            // Multi-byte characters count in UTF-8 bytes.
            Assert.Throws<ArgumentException>(() => new UnixEndPoint("/" + new string('é', 54)));
            Assert.Equal(UnixEndPoint.PathBytesMax, Encoding.UTF8.GetByteCount(new UnixEndPoint("/" + new string('x', UnixEndPoint.PathBytesMax - 1)).Path));
        });
    }

    private static async Coroutine Noop() => await Asyncio.Sleep(0);

    [Fact]
    public void Connect_BacklogFull_FailsWithWouldBlock_UntilOneIsAccepted()
    {
        Run(async (loop, path) =>
        {
            var unix = (IUnixNetworkBackend)loop.Backend;
            var listener = unix.ListenUnix(path("full.sock"), backlog: 2);
            var clients = new List<ITransport>();
            // Linux queues one more than the backlog on a Unix listener.
            for (var i = 0; i < 3; i++)
                clients.Add((await loop.CreateUnixConnection(() => new RecordingProtocol(loop), path("full.sock"))).Transport);
            var error = Assert.IsType<SocketException>(await Raises(loop.CreateUnixConnection(() => new RecordingProtocol(loop), path("full.sock"))));
            Assert.Equal(SocketError.WouldBlock, error.SocketErrorCode);
            var (accepted, _) = await loop.SockAccept(listener);
            clients.Add((await loop.CreateUnixConnection(() => new RecordingProtocol(loop), path("full.sock"))).Transport);
            foreach (var client in clients)
                client.Close();
            accepted.Close();
            listener.Close();
            unix.RemoveUnixPath(path("full.sock"));
        });
    }

    [Fact]
    public void ConnectAcceptedSocket_UnixSocketFromSockAccept_RunsAProtocol()
    {
        Run(async (loop, path) =>
        {
            var unix = (IUnixNetworkBackend)loop.Backend;
            var listener = unix.ListenUnix(path("accepted.sock"), backlog: 8);
            var connecting = loop.CreateTask(loop.CreateUnixConnection(() => new RecordingProtocol(loop), path("accepted.sock")));
            var (socket, peer) = await loop.SockAccept(listener);
            Assert.Equal(UnixEndPoint.Unnamed, peer);
            var (serverTransport, serverProtocol) = await loop.ConnectAcceptedSocket(() => EchoProtocol(loop), socket);
            Assert.Equal(["made"], serverProtocol.Events);
            Assert.Same(serverProtocol, serverTransport.GetProtocol());
            Assert.Equal(path("accepted.sock"), serverTransport.GetExtraInfo("sockname"));
            var (transport, client) = await connecting;
            transport.Write("accepted"u8);
            transport.WriteEof();
            Assert.Null(await client.Lost);
            Assert.Equal("accepted"u8.ToArray(), client.Received);
            Assert.Null(await serverProtocol.Lost);
            listener.Close();
            unix.RemoveUnixPath(path("accepted.sock"));
        });
    }

    [Fact]
    public void ConnectAcceptedSocket_TcpSocketsFromSockAcceptAndSockConnect_RunProtocolsBothWays()
    {
        Run(async (loop, _) =>
        {
            var network = (INetworkBackend)loop.Backend;
            var listener = network.Listen(new IPEndPoint(IPAddress.Loopback, 0), backlog: 8);
            var clientSocket = await loop.SockConnect((IPEndPoint)listener.LocalEndPoint);
            var (serverSocket, peer) = await loop.SockAccept(listener);
            Assert.Equal(clientSocket.LocalEndPoint, peer);
            var (serverTransport, serverProtocol) = await loop.ConnectAcceptedSocket(() => EchoProtocol(loop), serverSocket);
            var (transport, client) = await loop.ConnectAcceptedSocket(() => new RecordingProtocol(loop), clientSocket);
            Assert.Equal(peer, serverTransport.GetExtraInfo("peername"));
            Assert.Equal(listener.LocalEndPoint, transport.GetExtraInfo("peername"));
            transport.Write("over tcp"u8);
            transport.WriteEof();
            Assert.Null(await client.Lost);
            Assert.Equal("over tcp"u8.ToArray(), client.Received);
            Assert.Null(await serverProtocol.Lost);
            Assert.Equal(["made", "data", "eof", "lost:None"], serverProtocol.Events);
            listener.Close();
        });
    }

    [Fact]
    public void ConnectAcceptedSocket_SocketWithAReader_IsRefusedAndLeftOpen()
    {
        Run(async (loop, path) =>
        {
            var unix = (IUnixNetworkBackend)loop.Backend;
            var listener = unix.ListenUnix(path("reader.sock"), backlog: 8);
            var connecting = loop.CreateTask(loop.CreateUnixConnection(() => new RecordingProtocol(loop), path("reader.sock")));
            var (socket, _) = await loop.SockAccept(listener);
            loop.AddReader(socket, () => { });
            var error = Assert.Throws<InvalidOperationException>(() => loop.ConnectAcceptedSocket(() => new RecordingProtocol(loop), socket));
            Assert.Contains("reader or writer", error.Message, StringComparison.Ordinal);
            Assert.Throws<ArgumentNullException>(() => loop.ConnectAcceptedSocket(() => new RecordingProtocol(loop), null!));
            Assert.True(loop.RemoveReader(socket));
            var (serverTransport, serverProtocol) = await loop.ConnectAcceptedSocket(() => EchoProtocol(loop), socket);
            var (transport, client) = await connecting;
            transport.Write("after"u8);
            transport.WriteEof();
            Assert.Null(await client.Lost);
            Assert.Equal("after"u8.ToArray(), client.Received);
            Assert.Null(await serverProtocol.Lost);
            Assert.True(serverTransport.IsClosing);
            listener.Close();
            unix.RemoveUnixPath(path("reader.sock"));
        });
    }
}

using System.Net;
using System.Net.Sockets;
using Sim.Core;
using static Sim.Tests.Conformance.ConformanceHelpers;

namespace Sim.Tests.Conformance;

/// <summary>
/// The stream transport conformance suite, written once against Sim.Core's public API: every
/// backend passes it unchanged (a subclass per backend supplies a loop and the address to use).
/// What it checks is what user code observes: callback order, bytes, EOF and close ordering,
/// flow control, stream reader rules, errors. Split by concern into partial files.
/// </summary>
[Trait("Category", "Conformance")]
public abstract partial class StreamTransportConformance
{
    /// <summary>A fresh loop on the backend under test.</summary>
    protected abstract EventLoop CreateLoop();

    /// <summary>The address servers listen on and clients connect to (127.0.0.1, ::1...).</summary>
    protected virtual string Host => "127.0.0.1";

    /// <summary>Loop time (seconds) after which a test is stopped as hung.</summary>
    protected virtual double TimeLimit => 60;

    /// <summary>
    /// More than any network can take at once: loopback TCP on Linux autotunes its buffers up to
    /// about 4 MiB to send and 6 MiB to receive, so of a write this large part must wait in the
    /// transport's own buffer on every backend, which is what flow-control tests need to see.
    /// </summary>
    protected const int BeyondNetworkBuffers = 16 * 1024 * 1024;

    /// <summary>Long enough for bytes sent to reach the peer's receive buffer on this backend.</summary>
    protected virtual double SettleTime => 0.2;

    /// <summary>Runs <paramref name="body"/> on a fresh loop, then closes the loop.</summary>
    protected T Run<T>(Func<EventLoop, Coroutine<T>> body)
    {
        var loop = CreateLoop();
        var errors = new List<string>();
        loop.SetExceptionHandler((_, context) => errors.Add(context.ToString()));
        try
        {
            var guard = loop.CallLater(TimeLimit, loop.Stop);
            var result = loop.RunUntilComplete(body(loop));
            guard.Cancel();
            Assert.True(errors.Count == 0, "the loop reported: " + string.Join("\n", errors));
            return result;
        }
        finally
        {
            if (!loop.IsRunning)
                loop.Close();
        }
    }

    protected void Run(Func<EventLoop, Coroutine> body) => Run<Unit>(body);

    /// <summary>A port nothing listens on: a server's port, once the server is closed.</summary>
    protected virtual async Coroutine<int> UnusedPort(EventLoop loop)
    {
        var server = await loop.CreateServer(() => new RecordingProtocol(loop), Host, 0);
        var port = PortOf(server);
        server.Close();
        await server.WaitClosed();
        return port;
    }

    protected static int PortOf(Server server) => ((IPEndPoint)server.Sockets[0]).Port;

    /// <summary>A server whose connections are recorded; returns the server and the list they go to.</summary>
    protected async Coroutine<(Server Server, List<RecordingProtocol> Accepted)> Serve(EventLoop loop, Func<RecordingProtocol>? factory = null)
    {
        var accepted = new List<RecordingProtocol>();
        var server = await loop.CreateServer(() =>
        {
            var protocol = factory?.Invoke() ?? new RecordingProtocol(loop);
            accepted.Add(protocol);
            return protocol;
        }, Host, 0);
        return (server, accepted);
    }

    [Fact]
    public void Protocols_EchoOfLargeMessage_ArrivesIntactThenEofAndCleanClose()
    {
        var message = Pattern(300_000);
        Run(async loop =>
        {
            var (server, accepted) = await Serve(loop, () => new RecordingProtocol(loop)
            {
                OnData = (p, data) => p.Transport!.Write(data),
                OnEof = p => p.Transport!.Close(),
                KeepOpenOnEof = true,
            });
            var (transport, client) = await loop.CreateConnection(() => new RecordingProtocol(loop), Host, PortOf(server));
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
    public void CreateConnection_ReturnsAfterConnectionMade_WithPeerAndSockName()
    {
        Run(async loop =>
        {
            var (server, accepted) = await Serve(loop);
            var (transport, client) = await loop.CreateConnection(() => new RecordingProtocol(loop), Host, PortOf(server));
            Assert.Equal(["made"], client.Events);
            Assert.Same(transport, client.Transport);
            Assert.Same(client, transport.GetProtocol());
            var peer = Assert.IsType<IPEndPoint>(transport.GetExtraInfo("peername"));
            Assert.Equal(PortOf(server), peer.Port);
            Assert.Equal(IPAddress.Parse(Host), peer.Address);
            var local = Assert.IsType<IPEndPoint>(transport.GetExtraInfo("sockname"));
            await Until(() => accepted.Count == 1 && accepted[0].Made.Done);
            Assert.Equal(local, accepted[0].Transport!.GetExtraInfo("peername"));
            Assert.Equal("fallback", transport.GetExtraInfo("no-such-info", "fallback"));
            Assert.True(transport.IsReading);
            Assert.False(transport.IsClosing);
            Assert.True(transport.CanWriteEof());
            transport.Close();
            Assert.True(transport.IsClosing);
            Assert.False(transport.IsReading);
            Assert.Null(await client.Lost);
            Assert.Null(await accepted[0].Lost);
            server.Close();
        });
    }

    [Fact]
    public void EofReceived_ReturningTrue_KeepsConnectionHalfOpenForReply()
    {
        Run(async loop =>
        {
            var (server, accepted) = await Serve(loop, () => new RecordingProtocol(loop)
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
            var (transport, client) = await loop.CreateConnection(() => new RecordingProtocol(loop), Host, PortOf(server));
            transport.Write("hello"u8);
            transport.WriteEof();
            Assert.False(transport.IsClosing);
            Assert.Throws<InvalidOperationException>(() => transport.Write("more"u8));
            Assert.Null(await client.Lost);
            Assert.Equal("got hello"u8.ToArray(), client.Received);
            Assert.Equal(["made", "data", "eof", "lost:None"], client.Events);
            Assert.Equal(["made", "data", "eof", "lost:None"], accepted[0].Events);
            server.Close();
        });
    }

    [Fact]
    public void EofReceived_ReturningFalse_ClosesTransportAndLosesConnectionWithNull()
    {
        Run(async loop =>
        {
            var (server, accepted) = await Serve(loop);
            var (transport, client) = await loop.CreateConnection(() => new RecordingProtocol(loop), Host, PortOf(server));
            transport.WriteEof();
            await Until(() => accepted.Count == 1);
            Assert.Null(await accepted[0].Lost);
            Assert.Equal(["made", "eof", "lost:None"], accepted[0].Events);
            // The server closed after our EOF: we see its EOF, and our default answer closes us.
            Assert.Null(await client.Lost);
            Assert.Equal(["made", "eof", "lost:None"], client.Events);
            server.Close();
        });
    }

    [Fact]
    public void Close_WithBufferedData_FlushesEverythingBeforeConnectionLost()
    {
        var message = Pattern(BeyondNetworkBuffers, seed: 3);
        Run(async loop =>
        {
            var (server, accepted) = await Serve(loop);
            var (transport, client) = await loop.CreateConnection(() => new RecordingProtocol(loop), Host, PortOf(server));
            transport.Write(message);
            Assert.True(transport.GetWriteBufferSize() > 0, "the network took everything at once");
            transport.Close();
            Assert.True(transport.IsClosing);
            Assert.False(client.Lost.Done);
            Assert.Null(await client.Lost);
            Assert.Equal(0, transport.GetWriteBufferSize());
            await Until(() => accepted.Count == 1);
            Assert.Null(await accepted[0].Lost);
            Assert.Equal(message, accepted[0].Received);
            server.Close();
        });
    }

    [Fact]
    public void Abort_DropsWriteBufferAndLosesConnectionWithNull()
    {
        var message = Pattern(BeyondNetworkBuffers, seed: 5);
        Run(async loop =>
        {
            var (server, accepted) = await Serve(loop);
            var (transport, client) = await loop.CreateConnection(() => new RecordingProtocol(loop), Host, PortOf(server));
            transport.Write(message);
            Assert.True(transport.GetWriteBufferSize() > 0);
            transport.Abort();
            Assert.Equal(0, transport.GetWriteBufferSize());
            Assert.True(transport.IsClosing);
            Assert.Null(await client.Lost);
            Assert.Equal(["made", "lost:None"], client.Events);
            await Until(() => accepted.Count == 1);
            await accepted[0].Lost;
            Assert.True(accepted[0].Received.Length < message.Length, "an aborted write buffer still arrived whole");
            Assert.Equal(message.AsSpan(0, accepted[0].Received.Length).ToArray(), accepted[0].Received);
            server.Close();
        });
    }

    [Fact]
    public void WriteAfterConnectionLost_IsDroppedSilently()
    {
        Run(async loop =>
        {
            var (server, _) = await Serve(loop);
            var (transport, client) = await loop.CreateConnection(() => new RecordingProtocol(loop), Host, PortOf(server));
            transport.Close();
            await client.Lost;
            transport.Write("ignored"u8);
            Assert.Equal(0, transport.GetWriteBufferSize());
            transport.Close();
            transport.Abort();
            Assert.Equal(["made", "lost:None"], client.Events);
            server.Close();
        });
    }

    [Fact]
    public void ResumeReading_AfterEofKeptOpen_DoesNotReportEofAgain_AndWritingGoesOn()
    {
        Run(async loop =>
        {
            // A server that keeps the half-open connection and cycles reading after EOF, as
            // Sendfile does around its transfer: EofReceived is not called a second time.
            var (server, accepted) = await Serve(loop, () => new RecordingProtocol(loop)
            {
                KeepOpenOnEof = true,
                OnEof = p => loop.CallSoon(() =>
                {
                    p.Transport!.PauseReading();
                    p.Transport.ResumeReading();
                    Assert.True(p.Transport.IsReading);
                }),
            });
            var (transport, client) = await loop.CreateConnection(() => new RecordingProtocol(loop), Host, PortOf(server));
            transport.Write("x"u8);
            transport.WriteEof();
            await Until(() => accepted.Count == 1);
            await accepted[0].EofSeen;
            await Asyncio.Sleep(SettleTime);
            Assert.Equal(["made", "data", "eof"], accepted[0].Events);
            accepted[0].Transport!.Write("still writing"u8);
            await Until(() => client.Received.Length == 13);
            accepted[0].Transport!.Close();
            await client.Lost;
            await accepted[0].Lost;
            Assert.Equal(["made", "data", "eof", "lost:None"], accepted[0].Events);
            server.Close();
        });
    }

    [Fact]
    public void CloseWithUnreadData_ResetsPeer_WhichLosesConnectionWithConnectionReset()
    {
        Run(async loop =>
        {
            var (server, accepted) = await Serve(loop, () => new RecordingProtocol(loop) { OnMade = p => p.Transport!.PauseReading() });
            var (transport, client) = await loop.CreateConnection(() => new RecordingProtocol(loop), Host, PortOf(server));
            await Until(() => accepted.Count == 1 && accepted[0].Made.Done);
            Assert.False(accepted[0].Transport!.IsReading);
            transport.Write("never read"u8);
            await Asyncio.Sleep(SettleTime);
            accepted[0].Transport!.Close();
            var error = await client.Lost;
            var reset = Assert.IsType<SocketException>(error);
            Assert.Equal(SocketError.ConnectionReset, reset.SocketErrorCode);
            Assert.Equal(["made", "lost:ConnectionReset"], client.Events);
            server.Close();
        });
    }

    [Fact]
    public void CreateConnection_NothingListening_RaisesConnectionRefused()
    {
        Run(async loop =>
        {
            var port = await UnusedPort(loop);
            var error = Assert.IsType<SocketException>(await Raises(loop.CreateConnection(() => new RecordingProtocol(loop), Host, port)));
            Assert.Equal(SocketError.ConnectionRefused, error.SocketErrorCode);
        });
    }

    [Fact]
    public void CreateConnection_UnknownHostName_RaisesHostNotFound()
    {
        Run(async loop =>
        {
            var error = Assert.IsType<SocketException>(await Raises(loop.CreateConnection(() => new RecordingProtocol(loop), "no-such-host.invalid", 80)));
            Assert.Equal(SocketError.HostNotFound, error.SocketErrorCode);
        });
    }
}

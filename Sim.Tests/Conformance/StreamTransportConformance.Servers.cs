using System.Net;
using System.Net.Sockets;
using Sim.Core;
using static Sim.Tests.Conformance.ConformanceHelpers;

namespace Sim.Tests.Conformance;

/// <summary>Servers: close semantics (CPython 3.12.1+), serving, async disposal, buffered protocols.</summary>
public abstract partial class StreamTransportConformance
{
    [Fact]
    public void ServerClose_StopsAccepting_WaitClosedWaitsForOpenConnections()
    {
        Run(async loop =>
        {
            var (server, accepted) = await Serve(loop);
            var port = PortOf(server);
            Assert.True(server.IsServing);
            var (transport, client) = await loop.CreateConnection(() => new RecordingProtocol(loop), Host, port);
            await Until(() => accepted.Count == 1 && accepted[0].Made.Done);
            server.Close();
            Assert.False(server.IsServing);
            Assert.Empty(server.Sockets);
            var waitClosed = loop.CreateTask(server.WaitClosed());
            var refused = Assert.IsType<SocketException>(await Raises(loop.CreateConnection(() => new RecordingProtocol(loop), Host, port)));
            Assert.Equal(SocketError.ConnectionRefused, refused.SocketErrorCode);
            Assert.False(waitClosed.Done, "WaitClosed returned while a connection was open");
            // The accepted connection still works after the server closed.
            transport.Write("still here"u8);
            await Until(() => accepted[0].Received.Length == 10);
            transport.Close();
            await accepted[0].Lost;
            await waitClosed;
            await server.WaitClosed();
            server.Close();
        });
    }

    [Fact]
    public void ServerClosedBeforeItsConnectionsAreServed_ResetsThem()
    {
        Run(async loop =>
        {
            // Two connections wait in the listener's queue; the factory, called for the first,
            // closes the server: neither is served, both are reset, wherever the close found the
            // second (accepted already or still queued).
            Server? server = null;
            var factoryCalls = 0;
            server = await loop.CreateServer(() =>
            {
                factoryCalls++;
                server!.Close();
                return new RecordingProtocol(loop);
            }, Host, 0, startServing: false);
            var port = PortOf(server);
            var (_, first) = await loop.CreateConnection(() => new RecordingProtocol(loop), Host, port);
            var (_, second) = await loop.CreateConnection(() => new RecordingProtocol(loop), Host, port);
            await server.StartServing();
            foreach (var client in new[] { first, second })
            {
                var reset = Assert.IsType<SocketException>(await client.Lost);
                Assert.Equal(SocketError.ConnectionReset, reset.SocketErrorCode);
                Assert.Equal(["made", "lost:ConnectionReset"], client.Events);
            }
            Assert.Equal(1, factoryCalls);
            Assert.Equal(0, server.ActiveConnections);
            await server.WaitClosed();
        });
    }

    [Fact]
    public void ServerWaitClosed_BeforeClose_WaitsForClose()
    {
        Run(async loop =>
        {
            var (server, _) = await Serve(loop);
            var waitClosed = loop.CreateTask(server.WaitClosed());
            await Asyncio.Sleep(SettleTime);
            Assert.False(waitClosed.Done);
            server.Close();
            await waitClosed;
        });
    }

    [Fact]
    public void ServeForever_WhenCancelled_ClosesTheServer()
    {
        Run(async loop =>
        {
            var (server, _) = await Serve(loop);
            var forever = loop.CreateTask(server.ServeForever());
            await Asyncio.Sleep(0);
            Assert.True(server.IsServing);
            Assert.IsType<InvalidOperationException>(await Raises(server.ServeForever()));
            forever.Cancel();
            Assert.IsType<CancelledError>(await Raises(forever));
            Assert.False(server.IsServing);
            Assert.Empty(server.Sockets);
        });
    }

    [Fact]
    public void ServerCreatedNotServing_AcceptsOnlyAfterStartServing()
    {
        Run(async loop =>
        {
            var accepted = new List<RecordingProtocol>();
            var server = await loop.CreateServer(() =>
            {
                var protocol = new RecordingProtocol(loop);
                accepted.Add(protocol);
                return protocol;
            }, Host, 0, startServing: false);
            Assert.False(server.IsServing);
            await server.StartServing();
            Assert.True(server.IsServing);
            var (transport, client) = await loop.CreateConnection(() => new RecordingProtocol(loop), Host, PortOf(server));
            await Until(() => accepted.Count == 1);
            transport.Close();
            await client.Lost;
            await server.DisposeAsync();
            Assert.Empty(server.Sockets);
        });
    }

    [Fact]
    public void CreateConnection_FromAPortAServerListensOn_RaisesAddressAlreadyInUse()
    {
        Run(async loop =>
        {
            var (server, _) = await Serve(loop);
            var (target, _) = await Serve(loop);
            var local = new IPEndPoint(IPAddress.Parse(Host), PortOf(server));
            var error = Assert.IsType<SocketException>(await Raises(loop.CreateConnection(() => new RecordingProtocol(loop), Host, PortOf(target), localAddress: local)));
            Assert.Equal(SocketError.AddressAlreadyInUse, error.SocketErrorCode);
            server.Close();
            target.Close();
        });
    }

    [Fact]
    public void CreateServer_PortInUse_RaisesAddressAlreadyInUse()
    {
        Run(async loop =>
        {
            var (server, _) = await Serve(loop);
            var error = Assert.IsType<SocketException>(await Raises(loop.CreateServer(() => new RecordingProtocol(loop), Host, PortOf(server))));
            Assert.Equal(SocketError.AddressAlreadyInUse, error.SocketErrorCode);
            server.Close();
        });
    }

    [Fact]
    public void BufferedProtocol_ReceivesIntoItsOwnSmallBuffer_EverythingInOrder()
    {
        var message = Pattern(100_000, seed: 21);
        Run(async loop =>
        {
            var (server, _) = await Serve(loop, () => new RecordingProtocol(loop)
            {
                OnMade = p =>
                {
                    p.Transport!.Write(message);
                    p.Transport.Close();
                },
            });
            var (_, client) = await loop.CreateConnection(() => new CollectingBufferedProtocol(loop, bufferSize: 7), Host, PortOf(server));
            Assert.Null(await client.Lost);
            Assert.Equal(message, client.Received.ToArray());
            Assert.All(client.Updates, n => Assert.InRange(n, 1, 7));
            Assert.Equal(["made", "updated", "eof", "lost:None"], client.Events);
            server.Close();
        });
    }

    /// <summary>A buffered protocol that hands out a small buffer and keeps what lands in it.</summary>
    private sealed class CollectingBufferedProtocol(EventLoop loop, int bufferSize) : IBufferedProtocol
    {
        private readonly byte[] _buffer = new byte[bufferSize];

        public List<byte> Received { get; } = [];

        public List<int> Updates { get; } = [];

        public List<string> Events { get; } = [];

        public Future<Exception?> Lost { get; } = loop.CreateFuture<Exception?>();

        public void ConnectionMade(ITransport transport) => Events.Add("made");

        public Memory<byte> GetBuffer(int sizeHint) => _buffer;

        public void BufferUpdated(int count)
        {
            if (Events[^1] != "updated")
                Events.Add("updated");
            Updates.Add(count);
            Received.AddRange(_buffer.AsSpan(0, count));
        }

        public bool EofReceived()
        {
            Events.Add("eof");
            return false;
        }

        public void ConnectionLost(Exception? exception)
        {
            Events.Add(exception is null ? "lost:None" : $"lost:{exception.GetType().Name}");
            Lost.SetResult(exception);
        }

        public void PauseWriting() { }

        public void ResumeWriting() { }
    }
}

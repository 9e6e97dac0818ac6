using System.Net;
using System.Net.Sockets;
using System.Text;
using Sim.Core;
using static Sim.Tests.Conformance.ConformanceHelpers;

namespace Sim.Tests.Conformance;

/// <summary>
/// The datagram conformance suite, written once against Sim.Core's public API
/// (<c>CreateDatagramEndpoint</c>, <see cref="IDatagramTransport"/>, <see cref="IDatagramProtocol"/>):
/// every backend passes it unchanged, a subclass per backend supplying a loop and the address.
/// Every wait is bounded by <see cref="TimeLimit"/> of loop time.
/// </summary>
[Trait("Category", "Conformance")]
public abstract class DatagramConformance
{
    /// <summary>A fresh loop on the backend under test.</summary>
    protected abstract EventLoop CreateLoop();

    /// <summary>The address endpoints bind to and send to (127.0.0.1, ::1...).</summary>
    protected virtual string Host => "127.0.0.1";

    /// <summary>Loop time (seconds) after which a test is stopped as hung.</summary>
    protected virtual double TimeLimit => 30;

    private T Run<T>(Func<EventLoop, Coroutine<T>> body)
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

    private static IPEndPoint SocknameOf(IDatagramTransport transport) => (IPEndPoint)transport.GetExtraInfo("sockname")!;

    /// <summary>An echo server on (Host, 0): every datagram goes back to its sender.</summary>
    private async Coroutine<(IDatagramTransport Transport, RecordingDatagramProtocol Protocol)> EchoServer(EventLoop loop) =>
        await loop.CreateDatagramEndpoint(
            () => new RecordingDatagramProtocol(loop) { OnDatagram = (p, data, from) => p.Transport!.SendTo(data, from) },
            localAddress: (Host, 0));

    /// <summary>A port no socket is bound to: an endpoint's port, once the endpoint is closed.</summary>
    private async Coroutine<int> UnusedPort(EventLoop loop)
    {
        var (transport, protocol) = await loop.CreateDatagramEndpoint(() => new RecordingDatagramProtocol(loop), localAddress: (Host, 0));
        var port = SocknameOf(transport).Port;
        transport.Close();
        await protocol.Lost;
        return port;
    }

    [Fact]
    public void Echo_ConnectedClient_DatagramsReturnWholeInOrderFromTheServer()
    {
        var (texts, from, server) = Run(async loop =>
        {
            var (serverTransport, _) = await EchoServer(loop);
            var serverAddress = SocknameOf(serverTransport);
            var (client, protocol) = await loop.CreateDatagramEndpoint(() => new RecordingDatagramProtocol(loop), remoteAddress: (Host, serverAddress.Port));
            foreach (var text in new[] { "one", "two", "three", new string('x', 4000) })
                client.SendTo(Ascii(text));
            await protocol.Until(p => p.Datagrams.Count == 4);
            client.Close();
            serverTransport.Close();
            await protocol.Lost;
            return (protocol.Texts, protocol.Datagrams.Select(d => d.From).Distinct().ToList(), serverAddress);
        });
        Assert.Equal(["one", "two", "three", new string('x', 4000)], texts);
        Assert.Equal([server], from);
    }

    [Fact]
    public void Echo_UnconnectedClient_SendToAddressEachTime_RepliesCarryTheServerAddress()
    {
        var (texts, from, server, peername) = Run(async loop =>
        {
            var (serverTransport, _) = await EchoServer(loop);
            var serverAddress = SocknameOf(serverTransport);
            var (client, protocol) = await loop.CreateDatagramEndpoint(() => new RecordingDatagramProtocol(loop), localAddress: (Host, 0));
            client.SendTo(Ascii("ping"), serverAddress);
            client.SendTo(Ascii("pong"), serverAddress);
            await protocol.Until(p => p.Datagrams.Count == 2);
            var peer = client.GetExtraInfo("peername");
            client.Close();
            serverTransport.Close();
            return (protocol.Texts, protocol.Datagrams[0].From, serverAddress, peer);
        });
        Assert.Equal(["ping", "pong"], texts);
        Assert.Equal(server, from);
        Assert.Null(peername);
    }

    [Fact]
    public void ConnectedEndpoint_ExtraInfo_PeernameIsTheRemoteAndSocknameIsBound()
    {
        var (peername, sockname, server) = Run(async loop =>
        {
            var (serverTransport, _) = await EchoServer(loop);
            var (client, _) = await loop.CreateDatagramEndpoint(() => new RecordingDatagramProtocol(loop), remoteAddress: (Host, SocknameOf(serverTransport).Port));
            var result = ((IPEndPoint)client.GetExtraInfo("peername")!, SocknameOf(client), SocknameOf(serverTransport));
            client.Close();
            serverTransport.Close();
            return result;
        });
        Assert.Equal(server, peername);
        Assert.Equal(IPAddress.Parse(Host), sockname.Address);
        Assert.NotEqual(0, sockname.Port);
        Assert.Equal(IPAddress.Parse(Host), server.Address);
    }

    [Fact]
    public void SendTo_ConnectedEndpointAnotherAddress_RaisesArgumentExceptionTheSameAddressSends()
    {
        var (error, texts) = Run(async loop =>
        {
            var (serverTransport, _) = await EchoServer(loop);
            var serverAddress = SocknameOf(serverTransport);
            var (client, protocol) = await loop.CreateDatagramEndpoint(() => new RecordingDatagramProtocol(loop), remoteAddress: (Host, serverAddress.Port));
            var other = new IPEndPoint(serverAddress.Address, serverAddress.Port == 65535 ? 65534 : serverAddress.Port + 1);
            var raised = Assert.Throws<ArgumentException>(() => client.SendTo(Ascii("wrong"), other));
            client.SendTo(Ascii("right"), serverAddress);
            await protocol.Until(p => p.Datagrams.Count == 1);
            client.Close();
            serverTransport.Close();
            return (raised, protocol.Texts);
        });
        Assert.StartsWith("Invalid address: must be None or ", error.Message);
        Assert.Equal(["right"], texts);
    }

    [Fact]
    public void SendTo_UnconnectedEndpointNoAddress_RaisesArgumentNullException()
    {
        Run(async loop =>
        {
            var (transport, _) = await loop.CreateDatagramEndpoint(() => new RecordingDatagramProtocol(loop), localAddress: (Host, 0));
            Assert.Throws<ArgumentNullException>(() => transport.SendTo(Ascii("where to?")));
            transport.SendTo([]);   // empty: ignored, whatever the address
            transport.Close();
            return Unit.Value;
        });
    }

    [Fact]
    public void Close_AfterDatagrams_ConnectionMadeThenDatagramsThenConnectionLostNull()
    {
        var (events, lost, closing) = Run(async loop =>
        {
            var (serverTransport, _) = await EchoServer(loop);
            var (client, protocol) = await loop.CreateDatagramEndpoint(() => new RecordingDatagramProtocol(loop), remoteAddress: (Host, SocknameOf(serverTransport).Port));
            client.SendTo(Ascii("a"));
            client.SendTo(Ascii("b"));
            await protocol.Until(p => p.Datagrams.Count == 2);
            client.Close();
            var isClosing = client.IsClosing;
            client.Close();   // idempotent
            client.SendTo(Ascii("after close"));   // dropped quietly
            var exception = await protocol.Lost;
            serverTransport.Close();
            return (protocol.Events, exception, isClosing);
        });
        Assert.Equal(["connection_made", "datagram_received", "datagram_received", "connection_lost"], events);
        Assert.Null(lost);
        Assert.True(closing);
    }

    [Fact]
    public void Abort_ConnectionLostNullAndNothingMoreIsReceived()
    {
        var (events, lost) = Run(async loop =>
        {
            var (client, protocol) = await loop.CreateDatagramEndpoint(() => new RecordingDatagramProtocol(loop), localAddress: (Host, 0));
            client.Abort();
            var exception = await protocol.Lost;
            return (protocol.Events, exception);
        });
        Assert.Equal(["connection_made", "connection_lost"], events);
        Assert.Null(lost);
    }

    [Fact]
    public void ConnectedToUnboundPort_Send_ErrorReceivedConnectionRefusedAndTheEndpointStaysOpen()
    {
        var (events, error, closing) = Run(async loop =>
        {
            var port = await UnusedPort(loop);
            var (client, protocol) = await loop.CreateDatagramEndpoint(() => new RecordingDatagramProtocol(loop), remoteAddress: (Host, port));
            client.SendTo(Ascii("anyone?"));
            await protocol.Until(p => p.Errors.Count == 1);
            var isClosing = client.IsClosing;
            client.Close();
            await protocol.Lost;
            return (protocol.Events, protocol.Errors[0], isClosing);
        });
        Assert.Equal(SocketError.ConnectionRefused, Assert.IsType<SocketException>(error).SocketErrorCode);
        Assert.False(closing);
        Assert.Equal(["connection_made", "error_received(ConnectionRefused)", "connection_lost"], events);
    }

    [Fact]
    public void UnconnectedSendToUnboundPort_NoErrorReceived_LaterDatagramsStillFlow()
    {
        var (events, texts) = Run(async loop =>
        {
            var port = await UnusedPort(loop);
            var (serverTransport, _) = await EchoServer(loop);
            var (client, protocol) = await loop.CreateDatagramEndpoint(() => new RecordingDatagramProtocol(loop), localAddress: (Host, 0));
            client.SendTo(Ascii("into the void"), new IPEndPoint(IPAddress.Parse(Host), port));
            client.SendTo(Ascii("echo"), SocknameOf(serverTransport));
            await protocol.Until(p => p.Datagrams.Count == 1);
            client.Close();
            serverTransport.Close();
            await protocol.Lost;
            return (protocol.Events, protocol.Texts);
        });
        Assert.Equal(["connection_made", "datagram_received", "connection_lost"], events);
        Assert.Equal(["echo"], texts);
    }

    [Fact]
    public void SendTo_LargerThanAnyDatagram_ErrorReceivedMessageSize()
    {
        var error = Run(async loop =>
        {
            var (serverTransport, _) = await EchoServer(loop);
            var (client, protocol) = await loop.CreateDatagramEndpoint(() => new RecordingDatagramProtocol(loop), remoteAddress: (Host, SocknameOf(serverTransport).Port));
            client.SendTo(new byte[70_000]);
            await protocol.Until(p => p.Errors.Count == 1);
            client.Close();
            serverTransport.Close();
            return protocol.Errors[0];
        });
        Assert.Equal(SocketError.MessageSize, Assert.IsType<SocketException>(error).SocketErrorCode);
    }

    [Fact]
    public void CreateDatagramEndpoint_LocalPortInUse_RaisesAddressAlreadyInUse()
    {
        var error = Run(async loop =>
        {
            var (first, _) = await loop.CreateDatagramEndpoint(() => new RecordingDatagramProtocol(loop), localAddress: (Host, 0));
            try
            {
                await loop.CreateDatagramEndpoint(() => new RecordingDatagramProtocol(loop), localAddress: (Host, SocknameOf(first).Port));
                return null;
            }
            catch (SocketException e)
            {
                return e;
            }
            finally
            {
                first.Close();
            }
        });
        Assert.Equal(SocketError.AddressAlreadyInUse, error?.SocketErrorCode);
    }

    [Fact]
    public void CreateDatagramEndpoint_NoAddressNoFamily_RaisesArgumentException()
    {
        Run(async loop =>
        {
            try
            {
                await loop.CreateDatagramEndpoint(() => new RecordingDatagramProtocol(loop));
                Assert.Fail("expected ArgumentException");
            }
            catch (ArgumentException)
            {
            }
            return Unit.Value;
        });
    }
}

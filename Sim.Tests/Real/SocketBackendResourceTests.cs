using System.Net;
using Sim.Core;
using Sim.Real;
using Sim.Tests.Infrastructure;

namespace Sim.Tests.Real;

/// <summary>
/// The portable backend under load and at loop close: a thousand connections echoed at once
/// lose nothing, and closing the loop with sockets and a listener open closes every descriptor.
/// </summary>
[Trait("Category", "Concurrency")]
[Collection(SoloCollection.Name)]
public sealed class SocketBackendResourceTests
{
    [Fact]
    public void ThousandConnections_OpenedEchoedAndClosedAtOnce_NothingLost()
    {
        const int connections = 1000;
        const int size = 1024;
        var loop = RealLoop.Create(RealBackendKind.Portable);
        async Coroutine<int> Main()
        {
            var server = await Asyncio.StartServer(async (reader, writer) =>
            {
                writer.Write(await reader.Read());
                await writer.Drain();
                writer.Close();
                await writer.WaitClosed();
            }, "127.0.0.1", 0, backlog: connections);
            var port = ((IPEndPoint)server.Sockets[0]).Port;
            async Coroutine<bool> Client(int index)
            {
                var (reader, writer) = await Asyncio.OpenConnection("127.0.0.1", port);
                var payload = Payload(index, size);
                writer.Write(payload);
                writer.WriteEof();
                var echoed = await reader.Read();
                writer.Close();
                await writer.WaitClosed();
                return echoed.AsSpan().SequenceEqual(payload);
            }
            var echoes = await Asyncio.WaitFor(Asyncio.Gather(Enumerable.Range(0, connections).Select(Client)), timeout: 60);
            server.Close();
            await server.WaitClosed();
            return echoes.Count(intact => intact);
        }
        try
        {
            Assert.Equal(connections, loop.RunUntilComplete(Main()));
        }
        finally
        {
            loop.Close();
        }
    }

    [Fact]
    public void LoopClose_WithSocketsAndListenerOpen_ClosesEveryDescriptor()
    {
        if (!OperatingSystem.IsLinux())
            return;
        // Once first: the runtime opens descriptors of its own for sockets (its epoll engine).
        OpenThenCloseTheLoop();
        var before = OpenDescriptors();
        var during = OpenThenCloseTheLoop();
        // Descriptors are named with their socket's inode ("7->socket:[123]"), so a number reused
        // later by something else does not count as one of these left open.
        var opened = during.Except(before).Where(d => d.Contains("socket:", StringComparison.Ordinal)).ToList();
        Assert.True(opened.Count >= 7, $"the listener and six sockets should show: {string.Join(", ", opened)}");
        var stillOpen = opened.Intersect(OpenDescriptors()).ToList();
        Assert.True(stillOpen.Count == 0, $"left open after the loop closed: {string.Join(", ", stillOpen)}");
    }

    /// <summary>Opens a listener and three connections in different states, then closes the loop
    /// with all of them open; returns the descriptors that were open just before.</summary>
    private static HashSet<string> OpenThenCloseTheLoop()
    {
        var loop = RealLoop.Create(RealBackendKind.Portable);
        var network = (INetworkBackend)loop.Backend;
        async Coroutine Main()
        {
            var listener = network.Listen(new IPEndPoint(IPAddress.Loopback, 0), backlog: 8);
            for (var i = 0; i < 3; i++)
                network.Connect((IPEndPoint)listener.LocalEndPoint, local: null);
            var accepted = new List<IStreamSocket>();
            var deadline = loop.Time() + 10;
            while (accepted.Count < 3 && loop.Time() < deadline)
            {
                if (listener.TryAccept() is { } socket)
                    accepted.Add(socket);
                else
                    await Asyncio.Sleep(0.01);
            }
            Assert.Equal(3, accepted.Count);
            // One with bytes waiting unread, one half-closed, one idle.
            accepted[0].Send("unread"u8);
            accepted[1].ShutdownSend();
            await Asyncio.Sleep(0.05);
        }
        HashSet<string> open;
        try
        {
            loop.RunUntilComplete(Main());
            open = OpenDescriptors();
        }
        finally
        {
            loop.Close();
        }
        return open;
    }

    /// <summary>The open descriptors, each as "number->target".</summary>
    private static HashSet<string> OpenDescriptors()
    {
        var open = new HashSet<string>();
        foreach (var path in Directory.GetFiles("/proc/self/fd"))
        {
            try
            {
                open.Add($"{Path.GetFileName(path)}->{new FileInfo(path).LinkTarget}");
            }
            catch (IOException)
            {
                // Closed while listed (the directory's own descriptor is one).
            }
        }
        return open;
    }

    private static byte[] Payload(int index, int size)
    {
        var payload = new byte[size];
        for (var i = 0; i < size; i++)
            payload[i] = (byte)(index * 7 + i * 31);
        return payload;
    }
}

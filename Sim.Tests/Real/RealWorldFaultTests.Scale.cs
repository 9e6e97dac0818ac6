using System.Buffers.Binary;
using System.Globalization;
using System.Net.Sockets;
using Sim.Core;
using Sim.Real;
using Sim.Tests.Conformance;

namespace Sim.Tests.Real;

/// <summary>Many connections at once, and a listener closed under a storm of connects.</summary>
public sealed partial class RealWorldFaultTests
{
    // Descriptors kept free for the runtime, the test runner and the tests' own listeners.
    private const int DescriptorsSpare = 256;

    [Theory]
    [InlineData(RealBackendKind.Epoll)]
    [InlineData(RealBackendKind.Portable)]
    public void ThousandConcurrentConnections_OpenedEchoedAndClosed_NothingLost(RealBackendKind kind)
    {
        const int wanted = 1000;
        var connections = ConnectionsTheDescriptorLimitAllows(wanted);
        Run(kind, async loop =>
        {
            // A backlog for the whole storm at once (somaxconn is 4096 on current kernels).
            var (server, accepted) = await Serve(loop, () => EchoProtocol(loop), backlog: connections);
            var port = PortOf(server);
            var allConnected = loop.CreateFuture<Unit>();
            var connected = 0;
            async Coroutine<bool> Client(int index)
            {
                var payload = ClientPayload(index);
                var (reader, writer) = await Asyncio.OpenConnection(Host, port);
                // Every connection is open at the same moment before any echoes.
                if (++connected == connections)
                    allConnected.SetResult(Unit.Value);
                await allConnected;
                writer.Write(payload);
                writer.WriteEof();
                await writer.Drain();
                var echoed = await reader.Read();
                writer.Close();
                await writer.WaitClosed();
                return echoed.AsSpan().SequenceEqual(payload);
            }

            var intact = await Asyncio.WaitFor(Asyncio.Gather(Enumerable.Range(0, connections).Select(Client)), 25);
            var broken = Enumerable.Range(0, connections).Where(i => !intact[i]).ToList();
            Assert.True(broken.Count == 0, $"{broken.Count} echoes came back wrong: connections {string.Join(", ", broken.Take(10))}...");
            Assert.True(await Within(5, () => accepted.All(p => p.Lost.Done)), "server-side connections still open");
            Assert.Equal(connections, accepted.Count);
            Assert.All(accepted, p => Assert.Equal(["made", "data", "eof", "lost:None"], p.Events));
            // Each server-side connection received exactly one client's payload, every client's once.
            var indexes = accepted.Select(p =>
            {
                var received = p.Received;
                var index = BinaryPrimitives.ReadInt32LittleEndian(received);
                Assert.Equal(ClientPayload(index), received);
                return index;
            }).Order();
            Assert.Equal(Enumerable.Range(0, connections), indexes);
            Assert.Equal(0, server.ActiveConnections);
            server.Close();
            await Asyncio.WaitFor(server.WaitClosed(), 10);
        });
    }

    [Theory]
    [InlineData(RealBackendKind.Epoll)]
    [InlineData(RealBackendKind.Portable)]
    public void ListenerClosedWhileClientsConnect_ClientsAreServedRefusedOrReset_NoneHangs(RealBackendKind kind)
    {
        const int waves = 20;
        const int clientsPerWave = 10;
        // The listener closes just after this wave's connects reached the kernel, before the
        // loop accepted them: those connections wait in the accept queue when it closes. Every
        // earlier wave was accepted before the next began (the test waits for it rather than
        // for a time: the portable backend hears of accepts through the thread pool, which a
        // busy process may keep waiting for far longer than a pause between waves).
        const int closingWave = 8;
        var outcomes = new List<string>();
        Run(kind, async loop =>
        {
            var (server, accepted) = await Serve(loop, () => EchoProtocol(loop));
            var port = PortOf(server);
            async Coroutine<string> Client(int index)
            {
                ITransport transport;
                RecordingProtocol client;
                try
                {
                    (transport, client) = await loop.CreateConnection(() => new RecordingProtocol(loop), Host, port);
                }
                catch (SocketException error)
                {
                    return "connect:" + error.SocketErrorCode;
                }
                var payload = ClientPayload(index);
                transport.Write(payload);
                transport.WriteEof();
                var lost = await Asyncio.WaitFor(client.Lost, 10);
                if (lost is null)
                    Assert.Equal(payload, client.Received);
                return lost is null ? "served" : "lost:" + RecordingProtocol.Describe(lost);
            }

            var clients = new List<LoopTask<string>>();
            for (var wave = 0; wave < waves; wave++)
            {
                for (var i = 0; i < clientsPerWave; i++)
                    clients.Add(loop.CreateTask(Client(wave * clientsPerWave + i)));
                // One iteration: the new tasks start their connects.
                await Asyncio.Sleep(0);
                if (wave == closingWave)
                {
                    server.Close();
                }
                else if (wave < closingWave)
                {
                    var acceptedMin = (wave + 1) * clientsPerWave;
                    Assert.True(await Within(10, () => accepted.Count >= acceptedMin), $"wave {wave}: the server accepted {accepted.Count} of {acceptedMin} connections");
                }
                else
                {
                    await Asyncio.Sleep(0.005);
                }
            }
            outcomes.AddRange(await Asyncio.WaitFor(Asyncio.Gather(clients), 15));
            await Asyncio.WaitFor(server.WaitClosed(), 10);
            Assert.Equal(0, server.ActiveConnections);
            Assert.All(accepted, p => Assert.True(p.Lost.Done));
        });

        var counts = outcomes.GroupBy(o => o).OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => $"{g.Key} x{g.Count()}");
        output.WriteLine(string.Join(", ", counts));
        // A connection reset before its client's WriteEof ran may show as the shutdown's ENOTCONN
        // (on the portable backend the reset can reach the kernel before its send fails).
        Assert.All(outcomes, outcome => Assert.Contains(outcome, (string[])["served", "connect:ConnectionRefused", "connect:ConnectionReset", "lost:ConnectionReset", "lost:NotConnected"]));
        Assert.True(outcomes.Take(closingWave * clientsPerWave).All(o => o == "served"), "a client connected before the close was not served");
        Assert.True(outcomes.Skip((closingWave + 1) * clientsPerWave).All(o => o == "connect:ConnectionRefused"), "a client connecting after the close was not refused");
    }

    /// <summary>
    /// <paramref name="wanted"/> connections need two descriptors each (both ends are in this
    /// process): fewer when the soft limit on open files forbids, which the test output says.
    /// </summary>
    private int ConnectionsTheDescriptorLimitAllows(int wanted)
    {
        var limit = OpenFilesLimit();
        var open = Directory.GetFileSystemEntries("/proc/self/fd").Length;
        var possible = (limit - open - DescriptorsSpare) / 2;
        if (possible >= wanted)
            return wanted;
        output.WriteLine(
            $"SCALED DOWN: {possible} connections instead of {wanted}: the soft limit on open files is {limit} " +
            $"({open} open), {2 * wanted + DescriptorsSpare} more are needed; raise it with 'ulimit -n' to test {wanted}.");
        Assert.True(possible >= 100, $"the open-files limit ({limit}) leaves room for only {possible} connections");
        return possible;
    }

    /// <summary>The soft "Max open files" limit from /proc/self/limits.</summary>
    private static int OpenFilesLimit()
    {
        var line = File.ReadLines("/proc/self/limits").Single(l => l.StartsWith("Max open files", StringComparison.Ordinal));
        var soft = line["Max open files".Length..].Split(' ', StringSplitOptions.RemoveEmptyEntries)[0];
        return soft == "unlimited" ? int.MaxValue : int.Parse(soft, CultureInfo.InvariantCulture);
    }

    /// <summary>A client's own bytes: its index first, then a pattern seeded by it, of a length
    /// that varies with it.</summary>
    private static byte[] ClientPayload(int index)
    {
        var payload = new byte[1024 + index % 97];
        BinaryPrimitives.WriteInt32LittleEndian(payload, index);
        for (var i = sizeof(int); i < payload.Length; i++)
            payload[i] = (byte)(i * 31 + index * 7);
        return payload;
    }
}

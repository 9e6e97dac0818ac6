using System.Runtime.InteropServices;
using Sim.Core;
using Sim.Real;
using Sim.Tests.Conformance;

namespace Sim.Tests.Real;

/// <summary>A loop closed with everything still open leaves no descriptor behind.</summary>
public sealed partial class RealWorldFaultTests
{
    [Theory]
    [InlineData(RealBackendKind.Epoll)]
    [InlineData(RealBackendKind.Portable)]
    public void LoopClosedWithConnectionsOpen_LeaksNoDescriptor(RealBackendKind kind)
    {
        // A first cycle opens whatever the runtime opens once and keeps (libraries, its own
        // pipes and event descriptors, the portable backend's socket engine); the baseline is
        // taken after it.
        AbandonOpenConnections(RealLoop.Create(kind));
        var before = Descriptors();
        var loop = RealLoop.Create(kind);
        var inUse = Descriptors();
        var whileOpen = AbandonOpenConnections(loop);
        Assert.True(loop.IsClosed);
        var after = Descriptors();

        // The epoll loop has descriptors of its own (epoll, its wake-up); the portable loop has
        // none (its wake-up is an event with no kernel object), only its sockets.
        if (kind == RealBackendKind.Epoll)
            Assert.True(inUse.Count > before.Count, "the loop opened no descriptor of its own (is /proc/self/fd counted?)");
        // Two listeners, a datagram socket and ten connections at both ends, at least.
        var socketsOpened = whileOpen.Except(before).Count(fd => fd.Value.StartsWith("socket:", StringComparison.Ordinal));
        Assert.True(socketsOpened >= 23, $"only {socketsOpened} new sockets showed while the connections were open (is /proc/self/fd counted?)");
        var left = after.Except(before).Select(fd => $"{fd.Key} -> {fd.Value}");
        Assert.True(after.Count <= before.Count, $"{after.Count - before.Count} more descriptors open after Close than before the loop: {string.Join(", ", left)}");
    }

    /// <summary>
    /// Runs <paramref name="loop"/> until it holds, all open at once: a serving listener, a
    /// listener not serving, a datagram endpoint, idle connections at both ends, a connection whose write buffer is
    /// held back by a peer that does not read, and accepted sockets not yet given a protocol;
    /// then closes the loop without closing any of them. Returns the process's descriptors as
    /// they were with all of them open.
    /// </summary>
    private static Dictionary<string, string> AbandonOpenConnections(EventLoop loop)
    {
        var whileOpen = new Dictionary<string, string>();
        Run(loop, async loop =>
        {
            whileOpen = await OpenAndAbandon(loop);
        });
        return whileOpen;
    }

    private static async Coroutine<Dictionary<string, string>> OpenAndAbandon(EventLoop loop)
    {
        var (server, accepted) = await Serve(loop, () => new RecordingProtocol(loop) { OnMade = p => p.Transport!.PauseReading() });
        var idle = await loop.CreateServer(() => new RecordingProtocol(loop), Host, 0, startServing: false);
        Assert.False(idle.IsServing);
        await loop.CreateDatagramEndpoint(() => new RecordingDatagramProtocol(loop), localAddress: (Host, 0));
        var clients = new List<ITransport>();
        for (var i = 0; i < 10; i++)
            clients.Add((await loop.CreateConnection(() => new RecordingProtocol(loop), Host, PortOf(server))).Transport);
        Assert.True(await Within(5, () => accepted.Count == clients.Count && accepted.All(p => p.Made.Done)));
        clients[0].Write(PatternChunk(0, 16 << 20));
        Assert.True(clients[0].GetWriteBufferSize() > 0, "a peer that does not read took 16 MiB");
        // Connections the kernel completed and the loop accepts in its next iterations, which
        // never come: their sockets are the backend's alone.
        for (var i = 0; i < 3; i++)
            _ = loop.CreateTask(loop.CreateConnection(() => new RecordingProtocol(loop), Host, PortOf(server)));
        await Asyncio.Sleep(0);
        await Asyncio.Sleep(0);
        return Descriptors();
    }

    private static readonly string s_runtimeDirectory = RuntimeEnvironment.GetRuntimeDirectory();

    /// <summary>The process's open descriptors (number to what it refers to), but the runtime's
    /// assembly files.</summary>
    private static Dictionary<string, string> Descriptors()
    {
        var descriptors = new Dictionary<string, string>();
        foreach (var entry in Directory.GetFileSystemEntries("/proc/self/fd"))
        {
            string? target;
            try
            {
                target = new FileInfo(entry).LinkTarget;
            }
            catch (IOException)
            {
                target = null;
            }
            // Null: closed meanwhile (the enumeration's own descriptor, a runtime file, a socket
            // the portable backend's close finished on another thread); every open descriptor is
            // a link.
            if (target is null)
                continue;
            // The runtime's own assemblies, which it opens when the JIT first needs one: at any
            // time (a tiered recompilation on a busy machine may come late), and never the loop's.
            if (target.StartsWith(s_runtimeDirectory, StringComparison.Ordinal))
                continue;
            descriptors[Path.GetFileName(entry)] = target;
        }
        return descriptors;
    }
}

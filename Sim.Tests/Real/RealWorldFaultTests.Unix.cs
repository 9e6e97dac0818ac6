using Sim.Core;
using Sim.Real;
using Sim.Tests.Conformance;

namespace Sim.Tests.Real;

/// <summary>A loop closed with Unix-domain servers and connections open leaves no descriptor behind.</summary>
public sealed partial class RealWorldFaultTests
{
    [Theory]
    [InlineData(RealBackendKind.Epoll)]
    [InlineData(RealBackendKind.Portable)]
    public void LoopClosedWithUnixConnectionsOpen_LeaksNoDescriptor(RealBackendKind kind)
    {
        var directory = Path.Combine(Path.GetTempPath(), $"simloop-{Environment.ProcessId}-unix-fd-{kind}");
        Directory.CreateDirectory(directory);
        try
        {
            AbandonUnixConnections(RealLoop.Create(kind), directory);
            var before = Descriptors();
            var loop = RealLoop.Create(kind);
            AbandonUnixConnections(loop, directory);
            Assert.True(loop.IsClosed);
            var after = Descriptors();
            var left = after.Except(before).Select(fd => $"{fd.Key} -> {fd.Value}");
            Assert.True(after.Count <= before.Count, $"{after.Count - before.Count} more descriptors open after Close than before the loop: {string.Join(", ", left)}");
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    /// <summary>Runs <paramref name="loop"/> until a Unix server has accepted connections (and a
    /// few wait unaccepted in its backlog), then closes the loop with all of them open.</summary>
    private static void AbandonUnixConnections(EventLoop loop, string directory) => Run(loop, async loop =>
    {
        var accepted = new List<RecordingProtocol>();
        await loop.CreateUnixServer(() =>
        {
            accepted.Add(new RecordingProtocol(loop));
            return accepted[^1];
        }, Path.Combine(directory, "server.sock"));
        var clients = new List<ITransport>();
        for (var i = 0; i < 5; i++)
            clients.Add((await loop.CreateUnixConnection(() => new RecordingProtocol(loop), Path.Combine(directory, "server.sock"))).Transport);
        Assert.True(await Within(5, () => accepted.Count == clients.Count && accepted.All(p => p.Made.Done)));
        clients[0].Write(PatternChunk(0, 1 << 20));
        var unix = (IUnixNetworkBackend)loop.Backend;
        unix.ListenUnix(Path.Combine(directory, "unaccepted.sock"), backlog: 4);
        for (var i = 0; i < 3; i++)
            _ = loop.CreateTask(loop.CreateUnixConnection(() => new RecordingProtocol(loop), Path.Combine(directory, "unaccepted.sock")));
        await Asyncio.Sleep(0);
        await Asyncio.Sleep(0);
        File.Delete(Path.Combine(directory, "server.sock"));
        File.Delete(Path.Combine(directory, "unaccepted.sock"));
    });
}

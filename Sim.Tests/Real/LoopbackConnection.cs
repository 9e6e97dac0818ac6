using System.Net;
using Sim.Core;
using Sim.Tests.Conformance;

namespace Sim.Tests.Real;

/// <summary>A server on 127.0.0.1 and one client connected to it, for the tests that drive a
/// transport pair on any backend.</summary>
internal static class LoopbackConnection
{
    /// <summary>The server, its accepted protocol (made by <paramref name="peer"/>, a
    /// <see cref="RecordingProtocol"/> by default) once that has its transport, and the client's
    /// transport. The accepted protocol gets its transport in a callback after the accept
    /// (ConnectionMade, as asyncio schedules it), which may not have run yet when the client's
    /// connect completes (the portable backend's accept completes on its own).</summary>
    public static async Coroutine<(Server Server, RecordingProtocol Peer, ITransport Client)> Open(EventLoop loop, Func<RecordingProtocol>? peer = null)
    {
        var accepted = loop.CreateFuture<RecordingProtocol>();
        var server = await loop.CreateServer(
            () =>
            {
                var protocol = peer?.Invoke() ?? new RecordingProtocol(loop);
                accepted.SetResult(protocol);
                return protocol;
            },
            "127.0.0.1", 0);
        var (client, _) = await loop.CreateConnection(() => new RecordingProtocol(loop), "127.0.0.1", ((IPEndPoint)server.Sockets[0]).Port);
        var accepter = await accepted;
        await accepter.Made;
        return (server, accepter, client);
    }
}

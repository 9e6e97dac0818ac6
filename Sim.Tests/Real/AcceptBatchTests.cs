using System.Net;
using Sim.Core;
using Sim.Real;
using Sim.Tests.Conformance;

namespace Sim.Tests.Real;

/// <summary>
/// Accepting in batches on the epoll backend: one readiness of the listener accepts every waiting
/// connection (up to the backlog), not one per loop iteration.
/// </summary>
[Trait("Category", "Unit")]
public sealed class AcceptBatchTests
{
    [Fact]
    public void StartServing_TwentyConnectionsWaitingOnEpoll_AllAcceptedWithinOneReadiness()
    {
        if (!OperatingSystem.IsLinux())
            return;
        const int Waiting = 20;
        var loop = RealLoop.Create(RealBackendKind.Epoll);
        try
        {
            var guard = loop.CallLater(20, loop.Stop);
            var (iterations, active) = loop.RunUntilComplete(Scenario(loop));
            guard.Cancel();

            Assert.Equal(Waiting, active);
            // StartServing's iteration sees the listener ready and accepts all of them; their
            // protocols are made in the next one. One accept per readiness would need twenty.
            Assert.InRange(iterations, 1, 3);
        }
        finally
        {
            loop.Close();
        }

        async Coroutine<(int Iterations, int Active)> Scenario(EventLoop loop)
        {
            var server = await loop.CreateServer(() => new RecordingProtocol(loop), "127.0.0.1", 0, startServing: false);
            var address = (IPEndPoint)server.Sockets[0];
            var clients = new List<IStreamSocket>();
            for (var i = 0; i < Waiting; i++)
                clients.Add(await loop.SockConnect(address));
            await server.StartServing();
            var iterations = 0;
            while (server.ActiveConnections < Waiting && iterations < 1_000)
            {
                await Asyncio.Sleep(0);
                iterations++;
            }
            var active = server.ActiveConnections;
            foreach (var client in clients)
                client.Close();
            server.Close();
            return (iterations, active);
        }
    }
}

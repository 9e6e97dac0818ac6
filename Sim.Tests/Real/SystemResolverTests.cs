using System.Net;
using System.Net.Sockets;
using Sim.Core;
using Sim.Real;
using Sim.Real.Sockets;

namespace Sim.Tests.Real;

/// <summary>A production loop keeps running while a name lookup is outstanding: the resolver awaits
/// the lookup's task (here a stand-in that blocks a thread of its own), never waits for it.</summary>
public sealed class SystemResolverTests
{
    [Theory]
    [InlineData(RealBackendKind.Epoll)]
    [InlineData(RealBackendKind.Portable)]
    public void Resolve_WhileTheLookupBlocksItsThread_TheLoopKeepsRunningTimers(RealBackendKind kind)
    {
        if (kind == RealBackendKind.Epoll && !OperatingSystem.IsLinux())
            return;
        // The stand-in resolver blocks its thread until the loop's timers have fired three times:
        // were the lookup run on the loop's thread, they never would, and the guard would stop it.
        using var ticked = new ManualResetEventSlim();
        IPAddress[] Lookup()
        {
            if (!ticked.Wait(TimeSpan.FromSeconds(20)))
                throw new TimeoutException("the loop's timers never fired");
            return [IPAddress.Loopback];
        }
        Task<IPAddress[]> BlockingLookup(string host, AddressFamily family) =>
            Task.Factory.StartNew(Lookup, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);

        var ticks = 0;
        async Coroutine<IReadOnlyList<IPAddress>> Main()
        {
            var loop = Asyncio.GetRunningLoop();
            void Tick()
            {
                if (++ticks == 3)
                    ticked.Set();
                else
                    loop.CallLater(0.001, Tick);
            }
            loop.CallLater(0.001, Tick);
            return await SystemResolver.Resolve("blocked.example", AddressFamily.InterNetwork, BlockingLookup);
        }

        var addresses = RealLoop.Run(Main, kind);
        Assert.Equal([IPAddress.Loopback], addresses);
        Assert.Equal(3, ticks);
    }

    [Fact]
    public void Resolve_LookupFindsNoAddress_RaisesHostNotFound()
    {
        async Coroutine<SocketError> Main()
        {
            var error = await Assert.ThrowsAsync<SocketException>(async () =>
                await SystemResolver.Resolve("empty.example", AddressFamily.InterNetwork, (_, _) => Task.FromResult(Array.Empty<IPAddress>())));
            return error.SocketErrorCode;
        }
        Assert.Equal(SocketError.HostNotFound, RealLoop.Run(Main, RealBackendKind.Portable));
    }
}

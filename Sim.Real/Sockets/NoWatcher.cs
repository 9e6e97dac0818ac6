using Sim.Core;

namespace Sim.Real.Sockets;

/// <summary>The watcher given when interest is withdrawn: it is never called.</summary>
internal sealed class NoWatcher : IIoWatcher
{
    public static readonly NoWatcher Instance = new();

    public void OnReady(IoReadiness readiness) { }
}

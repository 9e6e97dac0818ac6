using System.Net;
using System.Net.Sockets;
using Sim.Core;

namespace Sim.Net;

/// <summary>
/// The simulated backend: when the loop would wait, virtual time jumps to the next event
/// instead; when nothing can ever happen, <see cref="Poll"/> says so and the loop reports a
/// deadlock rather than hang. Its network primitives are the simulation's <see cref="SimNetwork"/>;
/// the readiness of simulated sockets is reported at the start of every poll, and a poll with
/// ready sockets does not wait. Unix-domain sockets live in the default host's file namespace.
/// </summary>
public sealed class SimBackend : IIoBackend, INetworkBackend, IUnixNetworkBackend
{
    private readonly Simulation _simulation;
    private readonly ManualResetEventSlim _woken = new(false);

    internal SimBackend(Simulation simulation) => _simulation = simulation;

    /// <summary>The simulation this backend runs (tests reach its network through a loop).</summary>
    internal Simulation Simulation => _simulation;

    /// <inheritdoc/>
    public bool Poll(long timeoutNs, bool outsideWorkInFlight)
    {
        if (_simulation.Network.DispatchReadiness())
            return true;
        if (timeoutNs == 0)
            return true;
        if (outsideWorkInFlight && WaitForOutsideWork())
            return true;
        if (timeoutNs == IIoBackend.InfiniteTimeout)
            return false;
        _simulation.Clock.Advance(timeoutNs);
        return true;
    }

    /// <inheritdoc/>
    public void Wakeup() => _woken.Set();

    /// <inheritdoc/>
    public IExecutor CreateDefaultExecutor() => new SimExecutor(_simulation);

    /// <inheritdoc/>
    public IStreamSocket Connect(IPEndPoint remote, IPEndPoint? local) => _simulation.Network.Connect(remote, local);

    /// <inheritdoc/>
    public IStreamListener Listen(IPEndPoint local, int backlog) => _simulation.Network.Listen(local, backlog);

    /// <inheritdoc/>
    public IDatagramSocket OpenDatagram(AddressFamily family, IPEndPoint? local, IPEndPoint? remote) =>
        _simulation.Network.OpenDatagram(family, local, remote);

    /// <inheritdoc/>
    public Coroutine<IReadOnlyList<IPAddress>> Resolve(string host, AddressFamily family) => _simulation.Network.Resolve(host, family);

    /// <inheritdoc/>
    public IStreamSocket ConnectUnix(string path) => _simulation.Network.ConnectUnix(path);

    /// <inheritdoc/>
    public IStreamListener ListenUnix(string path, int backlog) => _simulation.Network.ListenUnix(path, backlog);

    /// <inheritdoc/>
    public UnixPathInfo? StatUnixPath(string path) => _simulation.Network.StatUnixPath(path);

    /// <inheritdoc/>
    public void RemoveUnixPath(string path) => _simulation.Network.RemoveUnixPath(path);

    /// <inheritdoc/>
    public void Dispose() => _woken.Dispose();

    /// <summary>Outside work runs in real time: wait for it (bounded) without moving virtual time.</summary>
    private bool WaitForOutsideWork()
    {
        var woken = _woken.Wait(TimeSpan.FromSeconds(_simulation.Options.OutsideWorkWaitMax));
        _woken.Reset();
        return woken;
    }
}

using System.Net;
using System.Net.Sockets;
using Sim.Core;

namespace Sim.Net;

/// <summary>
/// The simulated backend: when the loop would wait, virtual time jumps to the next event (the
/// next timer or the next segment's arrival) instead; when nothing can ever happen, <see cref="Poll"/>
/// says so and the loop reports a deadlock rather than hang. Its network primitives are the
/// simulation's <see cref="SimNetwork"/>. Segments arrive inside a poll, as a kernel receives
/// packets between two polls, and the readiness they cause is reported in that same poll.
/// Unix-domain sockets live in the default host's file namespace.
/// </summary>
public sealed class SimBackend : IIoBackend, INetworkBackend, IUnixNetworkBackend, IReverseResolver, IDeadlockDiagnostics
{
    private readonly Simulation _simulation;
    private readonly ManualResetEventSlim _woken = new(false);
    // Polls in a row that found only readiness already reported and not served.
    private int _spinningPolls;
    private bool _spinningForEver;

    /// <summary>
    /// Polls in a row that may find only unserved readiness, with nothing else that could ever
    /// happen, before the loop is declared spinning for ever. 1,000: far more than a program that
    /// gets around to serving an endpoint takes, and still only microseconds of wall time.
    /// </summary>
    public const int SpinningPollsMax = 1000;

    // The virtual time the first poll spinning on unserved readiness lets pass: about one
    // iteration of a real loop.
    private const long SpinStepNs = 1_000;

    internal SimBackend(Simulation simulation)
    {
        _simulation = simulation;
        Signals = new SimSignals(simulation);
    }

    /// <summary>The signals sent to the simulated process, and the loop's handlers for them.</summary>
    internal SimSignals Signals { get; }

    /// <summary>The simulation this backend runs (tests reach its network through a loop).</summary>
    internal Simulation Simulation => _simulation;

    /// <inheritdoc/>
    /// <remarks>
    /// Readiness that changed since the last poll is reported at once, without waiting. Readiness
    /// reported before and not served since (a reader that does not read) is reported again, and
    /// a poll that may wait lets virtual time pass meanwhile, as a real loop spinning on it would:
    /// 1 µs at the first such poll, doubling at each one in a row, never past the next event. With
    /// no event left such a loop would spin for ever: after <see cref="SpinningPollsMax"/> polls
    /// in a row the poll reports it as a deadlock naming the endpoint.
    /// </remarks>
    public bool Poll(long timeoutNs, bool outsideWorkInFlight)
    {
        var network = _simulation.Network;
        var clock = _simulation.Clock;
        // A signal that arrived gives the loop work at once, as a real loop's wake-up descriptor does.
        if (Signals.HasPending && Signals.DeliverDue(clock.NowNs))
            timeoutNs = 0;
        var stale = network.ReadinessIsStale;
        if (network.HasReadiness && !stale && network.DispatchReadiness())
        {
            // Something changed and an endpoint is ready for it: the loop has work at once.
            _spinningPolls = 0;
            return true;
        }
        if (timeoutNs == 0)
            return ReportStale(stale);
        if (outsideWorkInFlight && WaitForOutsideWork())
            return ReportStale(stale);
        var targetNs = timeoutNs == IIoBackend.InfiniteTimeout ? long.MaxValue : clock.NowNs + timeoutNs;
        if (network.HasEventsInFlight)
            targetNs = Math.Min(targetNs, network.NextEventNs);
        if (Signals.HasPending)
            targetNs = Math.Min(targetNs, Signals.NextNs);
        if (outsideWorkInFlight && targetNs == long.MaxValue)
        {
            // The outside work did not finish within the wait and nothing else is to come: a
            // deadlock now, not after SpinningPollsMax more waits of the same length.
            _spinningForEver = stale;
            return false;
        }
        if (stale)
        {
            _spinningPolls++;
            if (targetNs == long.MaxValue && _spinningPolls > SpinningPollsMax)
            {
                _spinningForEver = true;
                return false;
            }
            targetNs = Math.Min(targetNs, clock.NowNs + (SpinStepNs << Math.Min(_spinningPolls - 1, 40)));
        }
        else
        {
            _spinningPolls = 0;
            if (targetNs == long.MaxValue)
                return false;
        }
        clock.AdvanceTo(Math.Max(targetNs, clock.NowNs));
        network.DeliverDue(clock.NowNs);
        network.DispatchReadiness();
        if (Signals.HasPending)
            Signals.DeliverDue(clock.NowNs);
        return true;
    }

    private bool ReportStale(bool stale)
    {
        if (stale)
            _simulation.Network.DispatchReadiness();
        return true;
    }

    /// <inheritdoc/>
    public string? DescribeDeadlock() => _simulation.Network.DescribeDeadlock(_spinningForEver);

    /// <inheritdoc/>
    /// <remarks>The network's deliveries only: they are what loop-internal foreign awaits (a server's
    /// <c>await using</c>) wait behind. A signal sent for later does not let time jump past work
    /// off the loop.</remarks>
    public bool HasScheduledEvents => _simulation.Network.HasEventsInFlight;

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
    public Coroutine<string?> ResolveAddress(IPAddress address) => _simulation.Network.ResolveAddress(address);

    /// <inheritdoc/>
    /// <remarks>Signals are those <see cref="Simulation.SendSignal(int, TimeSpan)"/> sends.</remarks>
    public IDisposable WatchSignal(int signum, Action<int> received) => Signals.Watch(signum, received);

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

using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Sim.Core;

namespace Sim.Net;

/// <summary>
/// The simulated network of a <see cref="Simulation"/>: hosts, a DNS table, listeners and TCP-like
/// connections. One loop drives the whole world: sockets are addressed by host, so several hosts'
/// servers and clients run on it side by side. Every delivery is a loop timer (virtual time jumps
/// to it, deadlock detection sees it), every nondeterministic decision is one call to the
/// simulation's choice source, and every event is recorded in the trace.
/// </summary>
public sealed partial class SimNetwork
{
    private readonly Simulation _simulation;
    private readonly VirtualClock _clock;
    private readonly RecordingChoices _choices;
    // The latency range in nanoseconds, as the draws use it.
    private readonly double _latencyMinNs;
    private readonly double _latencySpanNs;
    private readonly List<Host> _hosts = [];
    private readonly Dictionary<IPAddress, Host> _hostsByAddress = [];
    private readonly List<IReadinessSource> _armed = [];
    private readonly NetworkEvents _events = new();

    // Endpoint state changes so far, and their count when readiness was last reported: equal
    // counts mean the endpoints still ready were reported and not served.
    private long _changes;
    private long _changesAtLastDispatch = -1;

    internal SimNetwork(Simulation simulation, NetworkOptions options)
    {
        options.Validate();
        _simulation = simulation;
        _clock = simulation.Clock;
        _choices = simulation.Recorder;
        Options = options;
        _latencyMinNs = options.LatencyMin * 1e9;
        _latencySpanNs = (options.LatencyMax - options.LatencyMin) * 1e9;
        ChunkSizeMax = options.ChunkSizeMax;
        ChunkSizeMin = options.ChunkSizeMin;
        ReceiveWindow = options.ReceiveWindow;
        TraceSegments = options.TraceSegments;
        DefaultHost = AddHost("localhost", IPAddress.Loopback, IPAddress.IPv6Loopback);
    }

    /// <summary>The network's options.</summary>
    public NetworkOptions Options { get; }

    /// <summary>The resolver's table; every host's name is in it.</summary>
    public DnsTable Dns { get; } = new();

    /// <summary>
    /// "localhost", owning 127.0.0.1 and ::1: where connections start without a local address
    /// and where wildcard listeners (0.0.0.0, ::) listen.
    /// </summary>
    public Host DefaultHost { get; }

    /// <summary>Every host, in the order added.</summary>
    public IReadOnlyList<Host> Hosts => _hosts;

    /// <summary>Connections with at least one side still open.</summary>
    public int OpenConnections { get; internal set; }

    /// <summary>Adds a host with its addresses and a DNS entry for its name.</summary>
    /// <exception cref="ArgumentException">The name or an address is taken.</exception>
    public Host AddHost(string name, params IPAddress[] addresses)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(addresses);
        if (addresses.Length == 0)
            throw new ArgumentException("A host needs at least one address.", nameof(addresses));
        if (_hosts.Any(h => string.Equals(h.Name, name, StringComparison.OrdinalIgnoreCase)))
            throw new ArgumentException($"There is already a host called {name}.", nameof(name));
        foreach (var address in addresses)
        {
            if (_hostsByAddress.TryGetValue(address, out var owner))
                throw new ArgumentException($"{address} already belongs to {owner.Name}.", nameof(addresses));
            if (address.Equals(IPAddress.Any) || address.Equals(IPAddress.IPv6Any))
                throw new ArgumentException("A wildcard address cannot be a host's address.", nameof(addresses));
        }
        var host = new Host(name, addresses);
        _hosts.Add(host);
        foreach (var address in addresses)
            _hostsByAddress[address] = host;
        Dns.Add(name, addresses);
        return host;
    }

    /// <summary>Adds a host with addresses given as text ("10.0.0.1", "fd00::1").</summary>
    public Host AddHost(string name, params string[] addresses)
    {
        ArgumentNullException.ThrowIfNull(addresses);
        return AddHost(name, addresses.Select(IPAddress.Parse).ToArray());
    }

    /// <summary>The host owning <paramref name="address"/>, or null.</summary>
    public Host? HostOf(IPAddress address) => _hostsByAddress.GetValueOrDefault(address);

    /// <summary>A one-line snapshot for failure reports.</summary>
    public override string ToString() =>
        $"<SimNetwork hosts={_hosts.Count} listeners={_hosts.Sum(h => h.Listeners.Count + h.Paths.Count(p => p.Value.Listener is not null))} open connections={OpenConnections} armed={_armed.Count}>";

    internal Simulation Simulation => _simulation;

    internal EventLoop Loop => _simulation.Loop;

    internal void Record(Host host, string kind, string details)
    {
        _simulation.Trace.Record(host.Name, kind, details);
    }

    /// <summary>Records "<paramref name="label"/> <paramref name="number"/><paramref name="suffix"/>"
    /// without formatting it (see <see cref="SimulationTrace"/>): the per-segment events.</summary>
    internal void Record(Host host, string kind, string label, long number, string suffix)
    {
        _simulation.Trace.Record(host.Name, kind, label, number, suffix);
    }

    /// <summary>The options read on every segment, copied out of <see cref="Options"/>.</summary>
    internal int ChunkSizeMax { get; }

    internal int ChunkSizeMin { get; }

    internal int ReceiveWindow { get; }

    internal bool TraceSegments { get; }

    /// <summary>Virtual time now.</summary>
    internal long NowNs => _clock.NowNs;

    /// <summary>One latency draw: one call to the choice source.</summary>
    internal long DrawLatencyNs() => Math.Max(1, (long)(_latencyMinNs + (_choices.NextDouble() * _latencySpanNs)));

    /// <summary>
    /// One segment's size, in [min(ChunkSizeMin, remaining), min(ChunkSizeMax, remaining)]: one call
    /// to the choice source, none when chunking is off (ChunkSizeMin equal to ChunkSizeMax). With the
    /// default ChunkSizeMin of 1 the draw is 1 + NextInt(min(ChunkSizeMax, remaining)), as it always was.
    /// </summary>
    internal int DrawChunkSize(int remaining)
    {
        if (ChunkSizeMin == ChunkSizeMax)
            return Math.Min(ChunkSizeMax, remaining);
        var smallest = Math.Min(ChunkSizeMin, remaining);
        return smallest + _choices.NextInt(Math.Min(ChunkSizeMax, remaining) - smallest + 1);
    }

    internal static long SecondsToNs(double seconds) => (long)Math.Round(seconds * 1e9);

    internal static string Format(EndPoint endPoint) => endPoint switch
    {
        UnixEndPoint { Path.Length: 0 } => "(unnamed)",
        _ => endPoint.ToString() ?? "?",
    };

    internal static string Bytes(int count) => count.ToString(CultureInfo.InvariantCulture) + " bytes";

    internal static SocketException Error(SocketError error, string message) => new((int)error, message);

    /// <summary>Which host a bind to <paramref name="address"/> lands on (the default host for a wildcard).</summary>
    internal Host BindHost(IPAddress address)
    {
        if (address.Equals(IPAddress.Any) || address.Equals(IPAddress.IPv6Any))
            return DefaultHost;
        return HostOf(address) ?? throw Error(SocketError.AddressNotAvailable, $"Cannot assign requested address: no simulated host has {address}");
    }

    /// <summary>Schedules <paramref name="target"/> for delivery at <paramref name="timeNs"/>.</summary>
    internal void Schedule(long timeNs, INetworkEvent target) => _events.Schedule(timeNs, target);

    /// <summary>True while segments are on their way.</summary>
    internal bool HasEventsInFlight => _events.Count > 0;

    /// <summary>When the next segment arrives (only while <see cref="HasEventsInFlight"/>).</summary>
    internal long NextEventNs => _events.PeekTimeNs;

    /// <summary>Delivers every segment due by <paramref name="nowNs"/>: endpoints change state, no program code runs.</summary>
    internal void DeliverDue(long nowNs) => _events.DeliverDue(nowNs);

    /// <summary>True when endpoints are ready for what the loop watches.</summary>
    internal bool HasReadiness => _armed.Count > 0;

    /// <summary>
    /// True when every endpoint ready now was already reported at the last poll and nothing on the
    /// network has changed since: the callbacks told then did not serve it (a reader that does not
    /// read), so telling them again cannot make progress by itself.
    /// </summary>
    internal bool ReadinessIsStale => _armed.Count > 0 && _changes == _changesAtLastDispatch;

    /// <summary>The program consumed or produced something (bytes read or sent, a connection
    /// accepted, a datagram taken): readiness reported before may have been served.</summary>
    internal void NoteProgress() => _changes++;

    /// <summary>Puts <paramref name="source"/> on the list the next poll reports, if it is ready for
    /// something of interest now. Every change of an endpoint's state comes through here.</summary>
    internal void Rearm(IReadinessSource source)
    {
        _changes++;
        if (source.Armed || (source.Interest & source.Readiness) == IoReadiness.None || source.Watcher is null)
            return;
        source.Armed = true;
        _armed.Add(source);
    }

    /// <summary>
    /// Inside <see cref="IIoBackend.Poll"/>: tells every armed watcher what its endpoint is ready
    /// for (level-triggered: endpoints that stay ready are told again next time) and drops the
    /// ones no longer ready. True when any was told: the loop must not wait then.
    /// </summary>
    internal bool DispatchReadiness()
    {
        var told = false;
        var kept = 0;
        for (var i = 0; i < _armed.Count; i++)
        {
            var source = _armed[i];
            var ready = source.Interest & source.Readiness;
            if (ready == IoReadiness.None || source.Watcher is not { } watcher)
            {
                source.Armed = false;
                continue;
            }
            // Usually every endpoint stays: then nothing moves (a store here costs a type check).
            if (kept != i)
                _armed[kept] = source;
            kept++;
            watcher.OnReady(ready);
            told = true;
        }
        if (kept < _armed.Count)
            _armed.RemoveRange(kept, _armed.Count - kept);
        _changesAtLastDispatch = _changes;
        return told;
    }
}

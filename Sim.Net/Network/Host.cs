using System.Net;

namespace Sim.Net;

/// <summary>
/// A simulated machine: a name and its addresses. Listeners bind to its addresses; a connection
/// starts from the host owning its local address.
/// </summary>
public sealed class Host
{
    // The ephemeral range of RFC 6335 (and Windows); Linux starts at 32768. Ports are handed out
    // in order from the first, so runs stay reproducible.
    private const int EphemeralPortFirst = 49152;
    private const int EphemeralPortLast = 65535;

    private readonly List<IPAddress> _addresses;
    private readonly Dictionary<int, int> _portsInUse = [];
    private int _nextEphemeralPort = EphemeralPortFirst;
    private long _nextIdentity = 1;

    internal Host(string name, IEnumerable<IPAddress> addresses)
    {
        Name = name;
        _addresses = addresses.ToList();
    }

    /// <summary>The host's name (its DNS name, and its label in traces).</summary>
    public string Name { get; }

    /// <summary>Its addresses, in the order they were given.</summary>
    public IReadOnlyList<IPAddress> Addresses => _addresses;

    /// <summary>
    /// The host's file namespace, as far as Unix-domain sockets see it: socket files (created by a
    /// bind, left behind when their listener closes, as on Linux) and plain files, by exact path.
    /// Directories are not modelled: every path's directory exists.
    /// </summary>
    internal Dictionary<string, UnixPathEntry> Paths { get; } = new(StringComparer.Ordinal);

    /// <summary>Whether a file (a socket file or a plain one) is at <paramref name="path"/>.</summary>
    public bool PathExists(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        return Paths.ContainsKey(path);
    }

    /// <summary>Creates a plain file at <paramref name="path"/>: a path a Unix server cannot
    /// bind (and does not remove, since it is not a socket).</summary>
    /// <exception cref="ArgumentException">A file is already there, or the path is not a valid
    /// Unix socket path.</exception>
    public void CreateFile(string path)
    {
        Sim.Core.UnixEndPoint.CheckPath(path, nameof(path));
        if (Paths.ContainsKey(path))
            throw new ArgumentException($"A file is already at {path} on {Name}.", nameof(path));
        Paths[path] = NewPathEntry(isSocket: false);
    }

    /// <summary>Removes the file at <paramref name="path"/> (<c>unlink</c>): a listener bound
    /// there keeps its connections but can no longer be reached. True if a file was there.</summary>
    public bool RemovePath(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        return Paths.Remove(path);
    }

    internal UnixPathEntry NewPathEntry(bool isSocket) => new(_nextIdentity++, isSocket);

    /// <summary>
    /// True to drop every connection attempt (SYN) arriving at this host without an answer, as a
    /// firewall does: a client's connect then fails with TimedOut after
    /// <see cref="NetworkOptions.ConnectTimeout"/>. Connections already established are untouched.
    /// </summary>
    public bool DropsIncomingConnections { get; set; }

    /// <summary>Listeners on this host, by bound endpoint (a wildcard address for "any").</summary>
    internal Dictionary<IPEndPoint, SimStreamListener> Listeners { get; } = [];

    /// <summary>Datagram sockets on this host, by bound endpoint (a wildcard address for "any").</summary>
    internal Dictionary<IPEndPoint, SimDatagramSocket> DatagramSockets { get; } = [];

    /// <summary>The datagram socket a datagram from <paramref name="source"/> to
    /// <paramref name="destination"/> reaches: bound to that address, else a wildcard one of its
    /// family; a connected socket takes datagrams from its peer only (as Linux's lookup does).</summary>
    internal SimDatagramSocket? FindDatagramSocket(IPEndPoint destination, IPEndPoint source)
    {
        if (!DatagramSockets.TryGetValue(destination, out var socket))
        {
            var any = destination.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? IPAddress.IPv6Any : IPAddress.Any;
            socket = DatagramSockets.GetValueOrDefault(new IPEndPoint(any, destination.Port));
        }
        return socket is not null && (socket.RemoteEndPoint is null || socket.RemoteEndPoint.Equals(source)) ? socket : null;
    }

    /// <summary>The address to use as a source towards <paramref name="destination"/>,
    /// a loopback one for a loopback destination when the host has it.</summary>
    internal IPAddress? SourceAddressFor(IPAddress destination)
    {
        var loopback = IPAddress.IsLoopback(destination);
        return _addresses.FirstOrDefault(a => a.AddressFamily == destination.AddressFamily && IPAddress.IsLoopback(a) == loopback)
            ?? _addresses.FirstOrDefault(a => a.AddressFamily == destination.AddressFamily);
    }

    internal int AllocatePort()
    {
        for (var tries = 0; tries <= EphemeralPortLast - EphemeralPortFirst; tries++)
        {
            var port = _nextEphemeralPort;
            _nextEphemeralPort = port == EphemeralPortLast ? EphemeralPortFirst : port + 1;
            if (!_portsInUse.ContainsKey(port))
            {
                UsePort(port);
                return port;
            }
        }
        throw new System.Net.Sockets.SocketException((int)System.Net.Sockets.SocketError.AddressAlreadyInUse, $"no ephemeral port left on {Name}");
    }

    internal void UsePort(int port) => _portsInUse[port] = _portsInUse.GetValueOrDefault(port) + 1;

    internal void ReleasePort(int port)
    {
        if (_portsInUse.TryGetValue(port, out var count))
        {
            if (count <= 1)
                _portsInUse.Remove(port);
            else
                _portsInUse[port] = count - 1;
        }
    }

    /// <summary>The listener a connection to <paramref name="destination"/> reaches: one bound to
    /// that address, else a wildcard one of its family.</summary>
    internal SimStreamListener? FindListener(IPEndPoint destination)
    {
        if (Listeners.TryGetValue(destination, out var exact))
            return exact;
        var any = destination.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? IPAddress.IPv6Any : IPAddress.Any;
        return Listeners.GetValueOrDefault(new IPEndPoint(any, destination.Port));
    }

    /// <inheritdoc/>
    public override string ToString() => $"{Name} [{string.Join(", ", _addresses)}]";
}

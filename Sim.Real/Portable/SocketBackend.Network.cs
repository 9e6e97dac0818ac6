using System.Net;
using System.Net.Sockets;
using Sim.Core;
using Sim.Real.Sockets;

namespace Sim.Real.Portable;

/// <summary>The network primitives: connect, listen, resolve, and the endpoints the backend owns.</summary>
public sealed partial class SocketBackend : IReverseResolver
{
    // How long a closed socket may go on delivering the bytes it had accepted before it is reset.
    // A peer that is merely slow drains 64 KiB well within it; one that stopped reading would
    // otherwise pin the socket for as long as TCP keeps probing its zero window (many minutes).
    internal const long DefaultLingerTimeMaxMs = 60_000;

    private readonly long _lingerTimeMaxMs = DefaultLingerTimeMaxMs;

    // Every socket and listener not yet closed down to its descriptor, so Dispose can close them.
    private readonly HashSet<SocketEndpoint> _endpoints = [];

    // Sockets closed by the loop that are still delivering their send buffer, oldest first.
    private readonly List<SocketStreamSocket> _lingering = [];

    /// <inheritdoc/>
    public IStreamSocket Connect(IPEndPoint remote, IPEndPoint? local)
    {
        ArgumentNullException.ThrowIfNull(remote);
        ObjectDisposedException.ThrowIf(_disposed, this);
        var socket = OpenStream(remote.AddressFamily);
        try
        {
            if (local is not null)
                socket.Bind(local);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
        var connecting = new SocketStreamSocket(this, socket, remote, connected: false);
        connecting.StartConnect(remote);
        return connecting;
    }

    /// <inheritdoc/>
    public IDatagramSocket OpenDatagram(AddressFamily family, IPEndPoint? local, IPEndPoint? remote)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        family = family != AddressFamily.Unspecified ? family : local?.AddressFamily ?? remote?.AddressFamily ?? AddressFamily.InterNetwork;
        return SocketDatagramSocket.Open(this, family, local, remote);
    }

    /// <inheritdoc/>
    public IStreamListener Listen(IPEndPoint local, int backlog) =>
        Listen(local, backlog, new ListenOptions(ReuseAddress: !OperatingSystem.IsWindows(), ReusePort: false));

    /// <inheritdoc/>
    public IStreamListener Listen(IPEndPoint local, int backlog, ListenOptions options)
    {
        ArgumentNullException.ThrowIfNull(local);
        ArgumentOutOfRangeException.ThrowIfNegative(backlog);
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (!options.ReuseAddress && !OperatingSystem.IsWindows())
        {
            throw new NotSupportedException(
                "reuseAddress: false is not possible on the portable backend outside Windows: .NET binds every TCP socket with SO_REUSEADDR there " +
                "(to allow binding during TIME_WAIT as Windows does). Use the epoll backend (RealBackendKind.Epoll) on Linux.");
        }
        var socket = OpenStream(local.AddressFamily);
        try
        {
            if (options.ReuseAddress)
                ReuseAddress(socket);
            if (options.ReusePort)
                ReusePort(socket);
            socket.Bind(local);
            socket.Listen(backlog);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
        return new SocketStreamListener(this, socket);
    }

    /// <inheritdoc/>
    public Coroutine<IReadOnlyList<IPAddress>> Resolve(string host, AddressFamily family) => SystemResolver.Resolve(host, family);

    /// <inheritdoc/>
    public Coroutine<string?> ResolveAddress(IPAddress address) => SystemResolver.ResolveAddress(address);

    internal void Adopt(SocketEndpoint endpoint) => _endpoints.Add(endpoint);

    internal void Forget(SocketEndpoint endpoint) => _endpoints.Remove(endpoint);

    /// <summary>Keeps a closed socket delivering its send buffer, for a bounded time; returns its deadline.</summary>
    internal long StartLingering(SocketStreamSocket socket)
    {
        _lingering.Add(socket);
        return Environment.TickCount64 + _lingerTimeMaxMs;
    }

    internal void StopLingering(SocketStreamSocket socket) => _lingering.Remove(socket);

    /// <summary>A stream socket as the epoll backend makes them: TCP_NODELAY (asyncio's default:
    /// a transport writes whole messages), and IPv6 sockets for IPv6 only.</summary>
    internal static Socket OpenStream(AddressFamily family)
    {
        if (family is not (AddressFamily.InterNetwork or AddressFamily.InterNetworkV6))
            throw new SocketException((int)SocketError.AddressFamilyNotSupported);
        var socket = new Socket(family, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            socket.NoDelay = true;
            if (family == AddressFamily.InterNetworkV6)
                socket.DualMode = false;
        }
        catch
        {
            socket.Dispose();
            throw;
        }
        return socket;
    }

    /// <summary>
    /// SO_REUSEADDR alone, asyncio's server default on POSIX: a restarted server binds while old
    /// connections linger. Set raw, because .NET's ReuseAddress option also sets SO_REUSEPORT on
    /// Linux, which would let two servers share a port silently. Not on Windows, where
    /// SO_REUSEADDR lets another socket take over a bound port (asyncio leaves it off there too).
    /// </summary>
    private static void ReuseAddress(Socket socket)
    {
        Span<byte> on = stackalloc byte[sizeof(int)];
        BitConverter.TryWriteBytes(on, 1);
        if (OperatingSystem.IsLinux())
            socket.SetRawSocketOption(optionLevel: 1, optionName: 2, on);           // SOL_SOCKET, SO_REUSEADDR
        else if (OperatingSystem.IsMacOS() || OperatingSystem.IsFreeBSD())
            socket.SetRawSocketOption(optionLevel: 0xFFFF, optionName: 4, on);      // SOL_SOCKET, SO_REUSEADDR
    }

    /// <summary>SO_REUSEPORT, set raw where it exists (.NET has no option of its own for it).</summary>
    /// <exception cref="NotSupportedException">On Windows and other systems without it.</exception>
    private static void ReusePort(Socket socket)
    {
        Span<byte> on = stackalloc byte[sizeof(int)];
        BitConverter.TryWriteBytes(on, 1);
        if (OperatingSystem.IsLinux())
            socket.SetRawSocketOption(optionLevel: 1, optionName: 15, on);          // SOL_SOCKET, SO_REUSEPORT
        else if (OperatingSystem.IsMacOS() || OperatingSystem.IsFreeBSD())
            socket.SetRawSocketOption(optionLevel: 0xFFFF, optionName: 0x200, on);  // SOL_SOCKET, SO_REUSEPORT
        else
            throw new NotSupportedException("reusePort (SO_REUSEPORT) is not supported on this platform.");
    }

    /// <summary>Milliseconds until the oldest lingering close must end, or null when none lingers.</summary>
    private int? LingeringDeadlineMs()
    {
        if (_lingering.Count == 0)
            return null;
        return (int)Math.Clamp(_lingering[0].LingerDeadlineMs - Environment.TickCount64, 0, int.MaxValue);
    }

    /// <summary>Resets the closed sockets whose peer did not take their bytes in time.</summary>
    private void ExpireLingeringCloses()
    {
        var now = Environment.TickCount64;
        while (_lingering.Count > 0 && _lingering[0].LingerDeadlineMs <= now)
            _lingering[0].LingerExpired();
    }
}

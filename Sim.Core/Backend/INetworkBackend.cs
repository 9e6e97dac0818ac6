using System.Net;
using System.Net.Sockets;

namespace Sim.Core;

/// <summary>
/// The network primitives of a backend (implemented next to <see cref="IIoBackend"/> by the
/// backends that have a network). Everything above them — buffering, flow control, EOF and close
/// ordering, the protocol callbacks — is decided once, in Sim.Core.
/// </summary>
public interface INetworkBackend
{
    /// <summary>
    /// Starts a non-blocking connect to <paramref name="remote"/>, from <paramref name="local"/>
    /// when given (port 0: any). The socket reports <see cref="IoReadiness.Writable"/> when the
    /// connect has finished; <see cref="IStreamSocket.FinishConnect"/> then tells how.
    /// </summary>
    /// <exception cref="SocketException">The connect failed at once (address family not
    /// supported, local address not available, ...).</exception>
    IStreamSocket Connect(IPEndPoint remote, IPEndPoint? local);

    /// <summary>Binds and listens on <paramref name="local"/> (port 0: a free port) with a queue of
    /// at most <paramref name="backlog"/> connections not yet accepted.</summary>
    /// <exception cref="SocketException">AddressAlreadyInUse, AddressNotAvailable, ...</exception>
    IStreamListener Listen(IPEndPoint local, int backlog);

    /// <summary>
    /// <see cref="Listen(IPEndPoint, int)"/> with socket options. A backend without them (the
    /// simulated network has no lingering connections, so SO_REUSEADDR changes nothing there)
    /// keeps this default, which refuses only SO_REUSEPORT.
    /// </summary>
    /// <exception cref="NotSupportedException"><see cref="ListenOptions.ReusePort"/> on a backend
    /// or platform without SO_REUSEPORT.</exception>
    /// <exception cref="SocketException">AddressAlreadyInUse, AddressNotAvailable, ...</exception>
    IStreamListener Listen(IPEndPoint local, int backlog, ListenOptions options)
    {
        if (options.ReusePort)
            throw new NotSupportedException($"reusePort (SO_REUSEPORT) is not supported by {GetType().Name}.");
        return Listen(local, backlog);
    }

    /// <summary>
    /// Opens a non-blocking datagram socket of <paramref name="family"/>: bound to
    /// <paramref name="local"/> when given (port 0: a free port; otherwise the backend binds to
    /// any address on first use), and connected to <paramref name="remote"/> when given — a UDP
    /// connect only fixes the peer: it sends nothing and never waits, and the socket then accepts
    /// datagrams from that peer only.
    /// </summary>
    /// <exception cref="SocketException">AddressAlreadyInUse, AddressNotAvailable,
    /// AddressFamilyNotSupported, NetworkUnreachable, ...</exception>
    IDatagramSocket OpenDatagram(AddressFamily family, IPEndPoint? local, IPEndPoint? remote);

    /// <summary>
    /// Resolves a host name (never an address literal: the loop handles those) to its addresses,
    /// in the resolver's order, keeping only <paramref name="family"/> unless it is
    /// <see cref="AddressFamily.Unspecified"/>. Runs on the loop that awaits it.
    /// </summary>
    /// <exception cref="SocketException">HostNotFound, TryAgain, ...</exception>
    Coroutine<IReadOnlyList<IPAddress>> Resolve(string host, AddressFamily family);
}

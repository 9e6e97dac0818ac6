using System.Net;

namespace Sim.Core;

/// <summary>
/// A non-blocking datagram (UDP) socket: the primitive a backend supplies and Sim.Core's datagram
/// transport drives. Every operation returns at once; readiness says when to retry. Datagrams
/// arrive whole or not at all, in no promised order. Errors are
/// <see cref="System.Net.Sockets.SocketException"/>s with the
/// <see cref="System.Net.Sockets.SocketError"/> Linux gives: on a connected socket, an ICMP port
/// unreachable from the peer becomes a pending ConnectionRefused, reported once by the next
/// <see cref="ReceiveFrom"/> or <see cref="SendTo"/> (and the socket turns readable meanwhile).
/// Loop thread only.
/// </summary>
public interface IDatagramSocket
{
    /// <summary>What <see cref="ReceiveFrom"/> returns when no datagram is there (EAGAIN).</summary>
    public const int WouldBlock = -1;

    /// <summary>The bound address and port (port 0 until a socket opened without a local address
    /// sends or connects, on backends that bind lazily as Linux does).</summary>
    EndPoint LocalEndPoint { get; }

    /// <summary>The peer of a connected socket, or null.</summary>
    EndPoint? RemoteEndPoint { get; }

    /// <summary>
    /// Declares what the loop wants to hear about (<see cref="IoReadiness.Readable"/>: a datagram
    /// or a pending error; <see cref="IoReadiness.Writable"/>: room to send); see
    /// <see cref="IStreamSocket.Watch"/>. <see cref="IoReadiness.None"/> stops watching.
    /// </summary>
    void Watch(IIoWatcher watcher, IoReadiness interest);

    /// <summary>
    /// Takes the next datagram: copies it into <paramref name="buffer"/> (the rest of a longer one
    /// is discarded, as recvfrom does) and returns the bytes copied — 0 for an empty datagram — or
    /// <see cref="WouldBlock"/>, with <paramref name="remote"/> null then.
    /// </summary>
    /// <exception cref="System.Net.Sockets.SocketException">A pending error (ConnectionRefused
    /// after an ICMP port unreachable on a connected socket); reading it clears it.</exception>
    int ReceiveFrom(Span<byte> buffer, out EndPoint? remote);

    /// <summary>
    /// Sends <paramref name="datagram"/> whole to <paramref name="remote"/> (null: the connected
    /// peer). True when the network took it (which is no promise it arrives), false when it would
    /// block (the send buffer is full: retry once writable).
    /// </summary>
    /// <exception cref="System.Net.Sockets.SocketException">MessageSize (larger than a datagram can
    /// be), a pending error (ConnectionRefused), DestinationAddressRequired (no
    /// <paramref name="remote"/> on an unconnected socket), NetworkUnreachable, ...</exception>
    bool SendTo(ReadOnlySpan<byte> datagram, EndPoint? remote);

    /// <summary>Closes the socket; datagrams not yet read are dropped. Idempotent.</summary>
    void Close();
}

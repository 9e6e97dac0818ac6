using System.Net;

namespace Sim.Core;

/// <summary>
/// A datagram endpoint (asyncio's <c>DatagramTransport</c>) with its write flow control. Sending
/// never blocks: a datagram the socket cannot take now is buffered and sent once it can.
/// </summary>
public interface IDatagramTransport : IBaseTransport
{
    /// <summary>
    /// Sends <paramref name="data"/> (copied) as one datagram to <paramref name="address"/>, or to
    /// the peer of a connected endpoint when null. Empty data is ignored (as in CPython 3.11).
    /// Operating errors (ConnectionRefused, MessageSize...) go to
    /// <see cref="IDatagramProtocol.ErrorReceived"/>; after a connected endpoint is lost,
    /// datagrams are dropped (logged after a few).
    /// </summary>
    /// <exception cref="ArgumentException">A connected endpoint given another address than its
    /// peer (asyncio's ValueError "Invalid address: must be None or ...").</exception>
    /// <exception cref="ArgumentNullException">No address on an unconnected endpoint.</exception>
    void SendTo(ReadOnlySpan<byte> data, EndPoint? address = null);

    /// <summary>Closes at once: buffered datagrams are dropped and
    /// <see cref="IBaseProtocol.ConnectionLost"/> is called with null.</summary>
    void Abort();

    /// <summary>Bytes of the datagrams buffered, not yet taken by the socket.</summary>
    int GetWriteBufferSize();

    /// <summary>The marks of write flow control, as <see cref="IWriteTransport.SetWriteBufferLimits"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">Not high ≥ low ≥ 0.</exception>
    void SetWriteBufferLimits(int? high = null, int? low = null);

    /// <summary>The marks, as asyncio orders them: (low, high).</summary>
    (int Low, int High) GetWriteBufferLimits();
}

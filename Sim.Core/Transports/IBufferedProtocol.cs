namespace Sim.Core;

/// <summary>
/// A stream protocol that supplies the buffer received bytes are copied into (asyncio's
/// <c>BufferedProtocol</c>): no copy between the socket and the protocol's own buffer.
/// </summary>
public interface IBufferedProtocol : IBaseProtocol
{
    /// <summary>A buffer to receive into, ideally <paramref name="sizeHint"/> bytes long (-1: any
    /// size). It must not be empty.</summary>
    Memory<byte> GetBuffer(int sizeHint);

    /// <summary>The first <paramref name="count"/> bytes of the last buffer returned by
    /// <see cref="GetBuffer"/> were filled.</summary>
    void BufferUpdated(int count);

    /// <summary>The peer shut its sending side; true keeps the connection half-open.</summary>
    bool EofReceived();
}

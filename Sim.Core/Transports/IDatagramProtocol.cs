using System.Net;

namespace Sim.Core;

/// <summary>
/// What a datagram endpoint's protocol hears (asyncio's <c>DatagramProtocol</c>), in this order:
/// <c>ConnectionMade [DatagramReceived | ErrorReceived]* ConnectionLost</c>, with
/// <see cref="IBaseProtocol.PauseWriting"/>/<see cref="IBaseProtocol.ResumeWriting"/> pairs
/// anywhere in between. Every call runs as a loop callback.
/// </summary>
public interface IDatagramProtocol : IBaseProtocol
{
    /// <summary>The endpoint is open; keep <paramref name="transport"/> to send and close.</summary>
    void ConnectionMade(IDatagramTransport transport);

    /// <summary>A datagram arrived from <paramref name="address"/>: all of it, valid during the call only.</summary>
    void DatagramReceived(ReadOnlySpan<byte> data, EndPoint address);

    /// <summary>
    /// A send or a receive failed with an operating error and the endpoint stays open: typically a
    /// <see cref="System.Net.Sockets.SocketException"/> ConnectionRefused on a connected endpoint
    /// whose peer has no socket bound (an ICMP port unreachable), or MessageSize.
    /// </summary>
    void ErrorReceived(Exception exception);

    /// <summary>Never called on a datagram protocol: its transport calls
    /// <see cref="ConnectionMade(IDatagramTransport)"/> instead.</summary>
    void IBaseProtocol.ConnectionMade(ITransport transport) =>
        throw new InvalidOperationException("A datagram protocol is given an IDatagramTransport, not a stream transport.");
}

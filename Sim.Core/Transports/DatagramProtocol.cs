using System.Net;

namespace Sim.Core;

/// <summary>
/// A convenient base for datagram protocols: every member does nothing, and
/// <see cref="Transport"/> keeps what <see cref="ConnectionMade"/> got.
/// </summary>
public abstract class DatagramProtocol : IDatagramProtocol
{
    /// <summary>The transport given to <see cref="ConnectionMade"/>, or null before it.</summary>
    protected IDatagramTransport? Transport { get; private set; }

    /// <inheritdoc/>
    public virtual void ConnectionMade(IDatagramTransport transport) => Transport = transport;

    /// <inheritdoc/>
    public virtual void DatagramReceived(ReadOnlySpan<byte> data, EndPoint address) { }

    /// <inheritdoc/>
    public virtual void ErrorReceived(Exception exception) { }

    /// <inheritdoc/>
    public virtual void ConnectionLost(Exception? exception) { }

    /// <inheritdoc/>
    public virtual void PauseWriting() { }

    /// <inheritdoc/>
    public virtual void ResumeWriting() { }
}

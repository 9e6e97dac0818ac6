namespace Sim.Core;

/// <summary>
/// A convenient base for stream protocols: every member does nothing, <see cref="EofReceived"/>
/// returns false (close), and <see cref="Transport"/> keeps what <see cref="ConnectionMade"/> got.
/// </summary>
public abstract class Protocol : IProtocol
{
    /// <summary>The transport given to <see cref="ConnectionMade"/>, or null before it.</summary>
    protected ITransport? Transport { get; private set; }

    /// <inheritdoc/>
    public virtual void ConnectionMade(ITransport transport) => Transport = transport;

    /// <inheritdoc/>
    public virtual void DataReceived(ReadOnlySpan<byte> data) { }

    /// <inheritdoc/>
    public virtual bool EofReceived() => false;

    /// <inheritdoc/>
    public virtual void ConnectionLost(Exception? exception) { }

    /// <inheritdoc/>
    public virtual void PauseWriting() { }

    /// <inheritdoc/>
    public virtual void ResumeWriting() { }
}

namespace Sim.Core;

/// <summary>The sending side of a transport (asyncio's <c>WriteTransport</c>) with its flow control.</summary>
public interface IWriteTransport : IBaseTransport
{
    /// <summary>
    /// Sends <paramref name="data"/> (copied): what the network does not take at once is buffered.
    /// After the connection is lost, writes are dropped (logged after a few).
    /// </summary>
    /// <exception cref="InvalidOperationException">After <see cref="WriteEof"/>.</exception>
    void Write(ReadOnlySpan<byte> data);

    /// <summary>Writes the chunks one after the other, as one write.</summary>
    void WriteLines(IEnumerable<byte[]> lines);

    /// <summary>Shuts the sending side once the buffer is flushed; the peer sees the end of the
    /// stream. Receiving goes on. Does nothing when closing or already done.</summary>
    void WriteEof();

    /// <summary>True when <see cref="WriteEof"/> is supported (stream sockets: always).</summary>
    bool CanWriteEof();

    /// <summary>Closes at once: the buffer is dropped and <see cref="IBaseProtocol.ConnectionLost"/>
    /// is called with null.</summary>
    void Abort();

    /// <summary>Bytes buffered, not yet taken by the network.</summary>
    int GetWriteBufferSize();

    /// <summary>
    /// Sets the marks of write flow control: <see cref="IBaseProtocol.PauseWriting"/> once the
    /// buffer exceeds <paramref name="high"/>, <see cref="IBaseProtocol.ResumeWriting"/> once it
    /// is back to <paramref name="low"/> or less. Defaults: high 64 KiB (4 × low when only low is
    /// given), low high / 4. high 0 pauses on any buffering; low 0 resumes only when empty.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">Not high ≥ low ≥ 0.</exception>
    void SetWriteBufferLimits(int? high = null, int? low = null);

    /// <summary>The marks, as asyncio orders them: (low, high).</summary>
    (int Low, int High) GetWriteBufferLimits();
}

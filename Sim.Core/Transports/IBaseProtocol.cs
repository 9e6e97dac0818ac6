namespace Sim.Core;

/// <summary>
/// What every protocol hears from its transport (asyncio's <c>BaseProtocol</c>). The transport
/// calls it in this order and no other:
/// <c>ConnectionMade [DataReceived* | GetBuffer/BufferUpdated*] [EofReceived] ConnectionLost</c>,
/// with <see cref="PauseWriting"/>/<see cref="ResumeWriting"/> pairs anywhere in between.
/// Every call runs as a loop callback.
/// </summary>
public interface IBaseProtocol
{
    /// <summary>The connection is up; keep <paramref name="transport"/> to write and close.</summary>
    void ConnectionMade(ITransport transport);

    /// <summary>The connection is gone: null after a clean close or an EOF, the error otherwise
    /// (a <see cref="System.Net.Sockets.SocketException"/> such as ConnectionReset).</summary>
    void ConnectionLost(Exception? exception);

    /// <summary>The transport's write buffer went over its high-water mark: stop writing until
    /// <see cref="ResumeWriting"/>. Called once per crossing.</summary>
    void PauseWriting();

    /// <summary>The write buffer drained to its low-water mark after a <see cref="PauseWriting"/>.</summary>
    void ResumeWriting();
}

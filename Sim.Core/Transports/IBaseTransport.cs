namespace Sim.Core;

/// <summary>What every transport offers (asyncio's <c>BaseTransport</c>).</summary>
public interface IBaseTransport
{
    /// <summary>
    /// Closes the transport: buffered bytes are still sent, then the protocol's
    /// <see cref="IBaseProtocol.ConnectionLost"/> is called with null. Idempotent.
    /// </summary>
    void Close();

    /// <summary>True once the transport is closing or closed.</summary>
    bool IsClosing { get; }

    /// <summary>
    /// Information about the connection: <c>"peername"</c> and <c>"sockname"</c> (an
    /// <see cref="System.Net.EndPoint"/>), <c>"socket"</c> (the backend's socket); otherwise
    /// <paramref name="defaultValue"/>.
    /// </summary>
    object? GetExtraInfo(string name, object? defaultValue = null);

    /// <summary>Hands the connection to another protocol from now on (no <c>ConnectionMade</c> is
    /// called on it).</summary>
    void SetProtocol(IBaseProtocol protocol);

    /// <summary>The protocol the transport calls.</summary>
    IBaseProtocol GetProtocol();
}

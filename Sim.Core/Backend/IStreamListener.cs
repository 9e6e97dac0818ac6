using System.Net;

namespace Sim.Core;

/// <summary>
/// A non-blocking listening stream socket. It is <see cref="IoReadiness.Readable"/> while a
/// connection waits to be accepted. Loop thread only.
/// </summary>
public interface IStreamListener
{
    /// <summary>The bound address and port (the port chosen when 0 was asked for).</summary>
    EndPoint LocalEndPoint { get; }

    /// <summary>Declares interest in <see cref="IoReadiness.Readable"/> (pending connections), or
    /// <see cref="IoReadiness.None"/>; see <see cref="IStreamSocket.Watch"/>.</summary>
    void Watch(IIoWatcher watcher, IoReadiness interest);

    /// <summary>The next established connection, or null when none waits (would block).</summary>
    /// <exception cref="System.Net.Sockets.SocketException">The accept failed (out of descriptors...).</exception>
    IStreamSocket? TryAccept();

    /// <summary>Stops listening; connections not yet accepted are reset.</summary>
    void Close();
}

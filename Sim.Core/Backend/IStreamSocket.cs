using System.Net;

namespace Sim.Core;

/// <summary>
/// A non-blocking, connected (or connecting) stream socket: the primitive a backend supplies and
/// Sim.Core's transports drive. Every operation returns at once; readiness says when to retry.
/// Errors are <see cref="System.Net.Sockets.SocketException"/>s with the
/// <see cref="System.Net.Sockets.SocketError"/> a real socket gives. Loop thread only.
/// </summary>
public interface IStreamSocket
{
    /// <summary>What <see cref="Receive(Span{byte})"/> returns when no data is there yet (EAGAIN).</summary>
    public const int WouldBlock = -1;

    /// <summary>The local address and port.</summary>
    EndPoint LocalEndPoint { get; }

    /// <summary>The peer's address and port.</summary>
    EndPoint RemoteEndPoint { get; }

    /// <summary>
    /// Declares what the loop wants to hear about; <paramref name="watcher"/> is told inside
    /// <see cref="IIoBackend.Poll"/> while the socket is ready for part of it. Replaces the
    /// previous declaration; <see cref="IoReadiness.None"/> stops watching.
    /// </summary>
    void Watch(IIoWatcher watcher, IoReadiness interest);

    /// <summary>
    /// Completes a connect once the socket reported <see cref="IoReadiness.Writable"/>: returns
    /// when connected, throws the connect's error otherwise (ConnectionRefused, TimedOut,
    /// NetworkUnreachable...). Calling it on an accepted socket does nothing.
    /// </summary>
    void FinishConnect();

    /// <summary>
    /// Copies received bytes into <paramref name="buffer"/>: the count (at least 1), 0 at the end
    /// of the stream (the peer shut its sending side), or <see cref="WouldBlock"/>.
    /// </summary>
    /// <exception cref="System.Net.Sockets.SocketException">ConnectionReset and other receive errors.</exception>
    int Receive(Span<byte> buffer);

    /// <summary>
    /// Receives into two buffers in one call, filling <paramref name="first"/> before
    /// <paramref name="second"/> (a vectored receive: readv or recvmsg): the count in all, with the
    /// returns of <see cref="Receive(Span{byte})"/>. A backend without vectored receives keeps this
    /// default, which fills the first only (what did not fit stays for the next receive).
    /// </summary>
    /// <exception cref="System.Net.Sockets.SocketException">As <see cref="Receive(Span{byte})"/>.</exception>
    int Receive(Span<byte> first, Span<byte> second) => Receive(first);

    /// <summary>
    /// Hands bytes to the network: how many were accepted, from 0 (would block: the peer's window
    /// or the send buffer is full) to all of them.
    /// </summary>
    /// <exception cref="System.Net.Sockets.SocketException">ConnectionReset; Shutdown after <see cref="ShutdownSend"/>.</exception>
    int Send(ReadOnlySpan<byte> data);

    /// <summary>
    /// Hands several buffers to the network in one call, in order (a vectored send: writev or
    /// sendmsg): how many bytes were accepted in all, from 0 (would block) to the sum of their
    /// lengths. A backend without vectored sends keeps this default, which sends them one by one
    /// until one is not taken whole.
    /// </summary>
    /// <exception cref="System.Net.Sockets.SocketException">As <see cref="Send(ReadOnlySpan{byte})"/>,
    /// when nothing was accepted (an error after some bytes were taken comes out of the next call).</exception>
    int Send(ReadOnlySpan<ReadOnlyMemory<byte>> segments)
    {
        var total = 0;
        foreach (var segment in segments)
        {
            int sent;
            try
            {
                sent = Send(segment.Span);
            }
            catch (System.Net.Sockets.SocketException) when (total > 0)
            {
                return total;
            }
            total += sent;
            if (sent < segment.Length)
                break;
        }
        return total;
    }

    /// <summary>
    /// Sends up to <paramref name="count"/> bytes of <paramref name="file"/> from
    /// <paramref name="offset"/> straight from the file (sendfile(2)): the bytes sent, 0 at the end
    /// of the file, or <see cref="WouldBlock"/> when the socket takes nothing now. Does not move
    /// the file's position. A backend without sendfile keeps this default.
    /// </summary>
    /// <exception cref="SendfileNotAvailableException">The backend has no sendfile, or not for this file.</exception>
    /// <exception cref="System.Net.Sockets.SocketException">As <see cref="Send(ReadOnlySpan{byte})"/>.</exception>
    int SendFile(Microsoft.Win32.SafeHandles.SafeFileHandle file, long offset, int count) =>
        throw new SendfileNotAvailableException($"{GetType().Name} has no sendfile: the bytes must be read and written.");

    /// <summary>Ends the sending side once the bytes accepted so far are delivered (a FIN):
    /// the peer then receives the end of the stream. Receiving goes on.</summary>
    void ShutdownSend();

    /// <summary>Closes the socket: bytes already accepted are still delivered, then a FIN; if
    /// received bytes were never read, the peer gets a reset instead (what TCP does).</summary>
    void Close();

    /// <summary>Closes the socket with a reset (SO_LINGER 0): the peer's next operation fails
    /// with ConnectionReset.</summary>
    void Abort();
}

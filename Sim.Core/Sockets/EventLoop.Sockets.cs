using System.Net;
using System.Runtime.CompilerServices;

namespace Sim.Core;

public sealed partial class EventLoop
{
    /// <summary>
    /// Connects a new backend socket to <paramref name="remote"/> (asyncio's <c>sock_connect</c>,
    /// adapted: the backend creates the socket, from <paramref name="localAddress"/> when given).
    /// Returns the connected socket, which the caller then owns.
    /// </summary>
    /// <exception cref="System.Net.Sockets.SocketException">ConnectionRefused, TimedOut, ...
    /// (the socket is closed then).</exception>
    public Coroutine<IStreamSocket> SockConnect(IPEndPoint remote, IPEndPoint? localAddress = null)
    {
        ArgumentNullException.ThrowIfNull(remote);
        CheckPort(remote.Port, allowZero: false);
        return ConnectSocket(Network, remote, localAddress);
    }

    /// <summary>
    /// Accepts the next connection on <paramref name="listener"/>, waiting for one (asyncio's
    /// <c>sock_accept</c>): the new socket and its peer's address.
    /// </summary>
    public async Coroutine<(IStreamSocket Socket, EndPoint Address)> SockAccept(IStreamListener listener)
    {
        ArgumentNullException.ThrowIfNull(listener);
        var accepted = listener.TryAccept() ?? await WaitReadable(listener, listener.Watch, listener.TryAccept);
        return (accepted, accepted.RemoteEndPoint);
    }

    /// <summary>
    /// Receives up to <paramref name="count"/> bytes from <paramref name="socket"/>, waiting until
    /// some are there (asyncio's <c>sock_recv</c>): empty at the end of the stream.
    /// </summary>
    /// <exception cref="System.Net.Sockets.SocketException">ConnectionReset and other receive errors.</exception>
    /// <remarks>Its coroutine is pooled (<see cref="PoolingCoroutineMethodBuilder{T}"/>): await each call's once.</remarks>
    [AsyncMethodBuilder(typeof(PoolingCoroutineMethodBuilder<>))]
    public async Coroutine<byte[]> SockRecv(IStreamSocket socket, int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        if (count == 0)
            return [];
        var buffer = new byte[count];
        var received = await SockRecvInto(socket, buffer);
        return received == count ? buffer : buffer.AsSpan(0, received).ToArray();
    }

    /// <summary>
    /// Receives into <paramref name="buffer"/>, waiting until some bytes are there (asyncio's
    /// <c>sock_recv_into</c>): the count, 0 at the end of the stream.
    /// </summary>
    /// <exception cref="System.Net.Sockets.SocketException">ConnectionReset and other receive errors.</exception>
    /// <remarks>Its coroutine is pooled (<see cref="PoolingCoroutineMethodBuilder{T}"/>): await each call's once.</remarks>
    [AsyncMethodBuilder(typeof(PoolingCoroutineMethodBuilder<>))]
    public async Coroutine<int> SockRecvInto(IStreamSocket socket, Memory<byte> buffer)
    {
        ArgumentNullException.ThrowIfNull(socket);
        var received = socket.Receive(buffer.Span);
        if (received != IStreamSocket.WouldBlock)
            return received;
        return await ReceiveWhenReadable(socket, buffer);
    }

    // The waiting part of SockRecvInto, apart so the call that needs no wait captures nothing.
    private Coroutine<int> ReceiveWhenReadable(IStreamSocket socket, Memory<byte> buffer) =>
        WaitReadable(socket, socket.Watch, () =>
        {
            var count = socket.Receive(buffer.Span);
            return count == IStreamSocket.WouldBlock ? (int?)null : count;
        });

    /// <summary>
    /// Sends all of <paramref name="data"/>, waiting while the network takes none (asyncio's
    /// <c>sock_sendall</c>). If it fails, how much was sent is unknown.
    /// </summary>
    /// <exception cref="System.Net.Sockets.SocketException">ConnectionReset, Shutdown, ...</exception>
    /// <remarks>Its coroutine is pooled (<see cref="PoolingCoroutineMethodBuilder"/>): await each call's once.</remarks>
    [AsyncMethodBuilder(typeof(PoolingCoroutineMethodBuilder))]
    public async Coroutine SockSendall(IStreamSocket socket, ReadOnlyMemory<byte> data)
    {
        ArgumentNullException.ThrowIfNull(socket);
        var sent = socket.Send(data.Span);
        if (sent == data.Length)
            return;
        await SendRestWhenWritable(socket, data, sent);
    }

    // The waiting part of SockSendall, apart so the call that needs no wait captures nothing.
    private async Coroutine SendRestWhenWritable(IStreamSocket socket, ReadOnlyMemory<byte> data, int sent)
    {
        var done = CreateFuture<Unit>();
        Action? writer = null;
        writer = () =>
        {
            if (done.Done)
                return;
            try
            {
                sent += socket.Send(data.Span[sent..]);
            }
            catch (Exception error)
            {
                RemoveCallback(socket, reader: false, only: writer);
                done.SetException(error);
                return;
            }
            if (sent < data.Length)
                return;
            RemoveCallback(socket, reader: false, only: writer);
            done.SetResult(Unit.Value);
        };
        AddWriter(socket, writer);
        // Cancelled while waiting: the writer must not outlive the operation.
        done.AddDoneCallback(_ => RemoveCallback(socket, reader: false, only: writer));
        await done;
    }

    /// <summary>Registers a reader that retries <paramref name="attempt"/> (null: would block)
    /// until it gives a result or throws, then removes itself.</summary>
    private async Coroutine<T> WaitReadable<T>(object endpoint, Action<IIoWatcher, IoReadiness> watch, Func<T?> attempt)
        where T : class
    {
        var done = CreateFuture<T>();
        Action? reader = null;
        reader = () =>
        {
            if (done.Done)
                return;
            T? result;
            try
            {
                result = attempt();
            }
            catch (Exception error)
            {
                RemoveCallback(endpoint, reader: true, only: reader);
                done.SetException(error);
                return;
            }
            if (result is null)
                return;
            RemoveCallback(endpoint, reader: true, only: reader);
            done.SetResult(result);
        };
        SetCallback(endpoint, watch, reader, reader: true);
        done.AddDoneCallback(_ => RemoveCallback(endpoint, reader: true, only: reader));
        return await done;
    }

    private async Coroutine<int> WaitReadable(object endpoint, Action<IIoWatcher, IoReadiness> watch, Func<int?> attempt)
    {
        var boxed = await WaitReadable<StrongBox<int>>(endpoint, watch, () => attempt() is { } count ? new StrongBox<int>(count) : null);
        return boxed.Value;
    }
}

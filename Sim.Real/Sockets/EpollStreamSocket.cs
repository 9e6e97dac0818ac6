using System.Net;
using System.Net.Sockets;
using Sim.Core;
using Sim.Real.Linux;

namespace Sim.Real.Sockets;

/// <summary>
/// A non-blocking stream socket (TCP or Unix-domain) watched by <see cref="EpollBackend"/>: every
/// call is one system call on the loop thread, with no allocation. A Unix socket is given its
/// local address (reading it needs sockaddr_un); a TCP socket's is read on first use.
/// </summary>
internal sealed class EpollStreamSocket(EpollBackend backend, int fd, EndPoint remote, EndPoint? local = null) : IStreamSocket, IDisposable
{
    private int _token;
    private bool _closed;
    private EndPoint? _local = local;

    public EndPoint LocalEndPoint => _local ??= NativeSockets.LocalEndPoint(fd);

    public EndPoint RemoteEndPoint { get; } = remote;

    /// <summary>The socket's file descriptor (for tests reading its options).</summary>
    internal int Descriptor => fd;

    public void Watch(IIoWatcher watcher, IoReadiness interest)
    {
        ArgumentNullException.ThrowIfNull(watcher);
        ObjectDisposedException.ThrowIf(_closed, this);
        _token = backend.Watch(_token, fd, watcher, interest);
    }

    public void FinishConnect()
    {
        ObjectDisposedException.ThrowIf(_closed, this);
        var error = NativeSockets.TakePendingError(fd);
        if (error != SocketError.Success)
            throw new SocketException((int)error);
    }

    public int Receive(Span<byte> buffer)
    {
        ObjectDisposedException.ThrowIf(_closed, this);
        return NativeSockets.Receive(fd, buffer);
    }

    /// <summary>One recvmsg into both buffers.</summary>
    public int Receive(Span<byte> first, Span<byte> second)
    {
        ObjectDisposedException.ThrowIf(_closed, this);
        return NativeSockets.Receive(fd, first, second);
    }

    public int Send(ReadOnlySpan<byte> data)
    {
        ObjectDisposedException.ThrowIf(_closed, this);
        backend.SendCalls++;
        return NativeSockets.Send(fd, data);
    }

    /// <summary>One sendmsg for all the segments (up to IOV_MAX of them).</summary>
    public int Send(ReadOnlySpan<ReadOnlyMemory<byte>> segments)
    {
        ObjectDisposedException.ThrowIf(_closed, this);
        backend.SendCalls++;
        return NativeSockets.Send(fd, segments);
    }

    /// <summary>sendfile(2) from the file's descriptor.</summary>
    public int SendFile(Microsoft.Win32.SafeHandles.SafeFileHandle file, long offset, int count)
    {
        ArgumentNullException.ThrowIfNull(file);
        ObjectDisposedException.ThrowIf(_closed, this);
        backend.SendfileCalls++;
        return NativeSockets.SendFile(fd, file, offset, count);
    }

    public void ShutdownSend()
    {
        ObjectDisposedException.ThrowIf(_closed, this);
        NativeSockets.ShutdownSend(fd);
    }

    public void Close() => CloseCore(reset: false);

    public void Abort() => CloseCore(reset: true);

    /// <summary>Closes, as <see cref="Close"/>: what the backend does to the sockets still open when it is disposed of.</summary>
    public void Dispose() => Close();

    private void CloseCore(bool reset)
    {
        if (_closed)
            return;
        _local ??= TryLocalEndPoint();
        _token = backend.Watch(_token, fd, NoWatcher.Instance, IoReadiness.None);
        _closed = true;
        backend.Release(this);
        NativeSockets.Close(fd, reset);
    }

    private EndPoint? TryLocalEndPoint()
    {
        try
        {
            return NativeSockets.LocalEndPoint(fd);
        }
        catch (SocketException)
        {
            return null;
        }
    }
}

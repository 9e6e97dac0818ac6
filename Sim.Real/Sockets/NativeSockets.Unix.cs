using System.Net.Sockets;
using System.Runtime.InteropServices;
using System.Text;
using Sim.Core;

namespace Sim.Real.Sockets;

/// <summary>Unix-domain stream sockets (AF_UNIX, <c>sockaddr_un</c>) on the same raw calls.</summary>
internal static unsafe partial class NativeSockets
{
    private const int AfUnix = 1;
    // sa_family_t, then sun_path[108].
    private const int SunPathOffset = 2;
    private const int SockaddrUnixSize = SunPathOffset + 108;
    private const int Enoent = 2;
    private const int Enotdir = 20;
    private const int Eaddrinuse = 98;
    private const int Econnrefused = 111;

    /// <summary>A non-blocking, close-on-exec AF_UNIX stream socket.</summary>
    public static int OpenUnixStream()
    {
        var fd = NativeSocket(AfUnix, SockStream | SockNonblock | SockCloexec, 0);
        if (fd < 0)
            throw LastError();
        return fd;
    }

    /// <summary>Binds to <paramref name="path"/>, creating the socket file.</summary>
    public static void BindUnix(int fd, string path)
    {
        var address = stackalloc byte[SockaddrUnixSize];
        var length = WriteUnix(path, address);
        if (NativeBind(fd, address, length) < 0)
            throw UnixErrorOf(Marshal.GetLastPInvokeError(), path);
    }

    /// <summary>Connects to the socket bound at <paramref name="path"/>. A local connect is
    /// decided at once: connected, or an error (ConnectionRefused, ENOENT as AddressNotAvailable,
    /// EAGAIN as WouldBlock when the listener's backlog is full).</summary>
    public static void ConnectUnix(int fd, string path)
    {
        var address = stackalloc byte[SockaddrUnixSize];
        var length = WriteUnix(path, address);
        while (true)
        {
            if (NativeConnect(fd, address, length) == 0)
                return;
            var errno = Marshal.GetLastPInvokeError();
            // Not for AF_UNIX on Linux, but harmless: the socket then reports writable once connected.
            if (errno == Einprogress)
                return;
            if (errno != Eintr)
                throw UnixErrorOf(errno, path);
        }
    }

    /// <summary>An accepted Unix-domain descriptor, or -1 when none waits.</summary>
    public static int AcceptUnix(int fd) => AcceptNonBlocking(fd);

    /// <summary>The socket's own address, or its peer's ("" when unnamed).</summary>
    public static UnixEndPoint UnixEndPointOf(int fd, bool peer)
    {
        var address = stackalloc byte[SockaddrUnixSize];
        var length = SockaddrUnixSize;
        var result = peer ? NativeGetPeerName(fd, address, &length) : NativeGetSockName(fd, address, &length);
        if (result < 0)
            throw LastError();
        var path = new ReadOnlySpan<byte>(address + SunPathOffset, Math.Max(0, length - SunPathOffset));
        var end = path.IndexOf((byte)0);
        return UnixEndPoint.FromNative(end < 0 ? path : path[..end]);
    }

    private static int WriteUnix(string path, byte* address)
    {
        new Span<byte>(address, SockaddrUnixSize).Clear();
        *(ushort*)address = AfUnix;
        // The path was checked (UnixEndPoint.CheckPath): it fits with its NUL.
        var written = Encoding.UTF8.GetBytes(path, new Span<byte>(address + SunPathOffset, SockaddrUnixSize - SunPathOffset - 1));
        return SunPathOffset + written + 1;
    }

    /// <summary>An errno of a bind or connect to <paramref name="path"/>, as .NET's Unix sockets
    /// raise it: a missing file or directory is AddressNotAvailable (there is no SocketError for
    /// ENOENT), with Python's message so the cause is clear.</summary>
    private static SocketException UnixErrorOf(int errno, string path) => errno switch
    {
        Enoent or Enotdir => new SocketException((int)SocketError.AddressNotAvailable, $"[Errno 2] No such file or directory: '{path}'"),
        Eaddrinuse => new SocketException((int)SocketError.AddressAlreadyInUse, $"[Errno 98] Address already in use: '{path}'"),
        Econnrefused => new SocketException((int)SocketError.ConnectionRefused, $"[Errno 111] Connection refused: '{path}'"),
        Eagain => new SocketException((int)SocketError.WouldBlock, $"[Errno 11] Resource temporarily unavailable: the backlog of '{path}' is full"),
        _ => ErrorOf(errno),
    };
}

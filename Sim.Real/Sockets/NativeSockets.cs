using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;

namespace Sim.Real.Sockets;

/// <summary>
/// The BSD socket calls the epoll backend makes, directly on file descriptors (the libuv model):
/// non-blocking from birth, no runtime socket state to keep in step, would-block as a return
/// value rather than an exception, errors as <see cref="SocketException"/>s with the
/// <see cref="SocketError"/> .NET's own sockets would raise for the same errno.
/// </summary>
internal static unsafe partial class NativeSockets
{
    private const int AfInet = 2;
    private const int AfInet6 = 10;
    private const int SockStream = 1;
    private const int SockNonblock = 0x800;
    private const int SockCloexec = 0x80000;
    private const int SolSocket = 1;
    private const int SoReuseAddr = 2;
    private const int SoError = 4;
    private const int SoReusePort = 15;
    private const int SoLinger = 13;
    private const int IpProtoTcp = 6;
    private const int TcpNoDelay = 1;
    private const int IpProtoIpv6 = 41;
    private const int Ipv6V6Only = 26;
    private const int MsgNoSignal = 0x4000;
    private const int ShutWr = 1;
    private const int SockaddrSizeMax = 28;

    private const int Eintr = 4;
    private const int Eagain = 11;
    private const int Einprogress = 115;

    public static int OpenStream(AddressFamily family)
    {
        var fd = NativeSocket(ToNative(family), SockStream | SockNonblock | SockCloexec, 0);
        if (fd < 0)
            throw LastError();
        try
        {
            // TCP_NODELAY by default, as asyncio sets it: a transport writes whole messages.
            SetInt(fd, IpProtoTcp, TcpNoDelay, 1);
            if (family == AddressFamily.InterNetworkV6)
                SetInt(fd, IpProtoIpv6, Ipv6V6Only, 1);
        }
        catch
        {
            // Nobody owns the descriptor yet: it must not outlive the throw.
            NativeClose(fd);
            throw;
        }
        return fd;
    }

    /// <summary>SO_REUSEADDR alone (.NET's ReuseAddress also sets SO_REUSEPORT on Linux, which
    /// would let two servers share a port silently).</summary>
    public static void ReuseAddress(int fd) => SetInt(fd, SolSocket, SoReuseAddr, 1);

    /// <summary>SO_REUSEPORT: listeners of the same user share the port, the kernel spreading connections.</summary>
    public static void ReusePort(int fd) => SetInt(fd, SolSocket, SoReusePort, 1);

    /// <summary>Whether TCP_NODELAY is on (tests read the default with it).</summary>
    public static bool NoDelay(int fd) => GetInt(fd, IpProtoTcp, TcpNoDelay) != 0;

    /// <summary>Whether SO_REUSEADDR is on.</summary>
    public static bool ReusesAddress(int fd) => GetInt(fd, SolSocket, SoReuseAddr) != 0;

    public static void Bind(int fd, IPEndPoint local)
    {
        var address = stackalloc byte[SockaddrSizeMax];
        var length = Write(local, address);
        if (NativeBind(fd, address, length) < 0)
            throw LastError();
    }

    public static void Listen(int fd, int backlog)
    {
        if (NativeListen(fd, backlog) < 0)
            throw LastError();
    }

    /// <summary>Starts a connect; true when it already finished, false when it goes on.</summary>
    public static bool Connect(int fd, IPEndPoint remote)
    {
        var address = stackalloc byte[SockaddrSizeMax];
        var length = Write(remote, address);
        while (true)
        {
            if (NativeConnect(fd, address, length) == 0)
                return true;
            var errno = Marshal.GetLastPInvokeError();
            if (errno == Einprogress)
                return false;
            if (errno != Eintr)
                throw ErrorOf(errno);
        }
    }

    /// <summary>The pending error of a socket (SO_ERROR), which reading clears.</summary>
    public static SocketError TakePendingError(int fd)
    {
        int value;
        var length = sizeof(int);
        if (NativeGetSockOpt(fd, SolSocket, SoError, &value, &length) < 0)
            throw LastError();
        return value == 0 ? SocketError.Success : ErrorOf(value).SocketErrorCode;
    }

    /// <summary>An accepted TCP descriptor (TCP_NODELAY set), or -1 when none waits.</summary>
    public static int Accept(int fd)
    {
        var accepted = AcceptNonBlocking(fd);
        if (accepted < 0)
            return accepted;
        try
        {
            SetInt(accepted, IpProtoTcp, TcpNoDelay, 1);
        }
        catch
        {
            NativeClose(accepted);
            throw;
        }
        return accepted;
    }

    /// <summary>An accepted descriptor, non-blocking, or -1 when none waits.</summary>
    private static int AcceptNonBlocking(int fd)
    {
        while (true)
        {
            var accepted = NativeAccept4(fd, null, null, SockNonblock | SockCloexec);
            if (accepted >= 0)
                return accepted;
            var errno = Marshal.GetLastPInvokeError();
            if (errno == Eagain)
                return -1;
            if (errno != Eintr)
                throw ErrorOf(errno);
        }
    }

    /// <summary>Bytes received, 0 at end of stream, -1 when it would block.</summary>
    public static int Receive(int fd, Span<byte> buffer)
    {
        fixed (byte* start = buffer)
        {
            while (true)
            {
                var received = NativeRecv(fd, start, buffer.Length, 0);
                if (received >= 0)
                    return (int)received;
                var errno = Marshal.GetLastPInvokeError();
                if (errno == Eagain)
                    return -1;
                if (errno != Eintr)
                    throw ErrorOf(errno);
            }
        }
    }

    /// <summary>Bytes accepted, 0 when it would block. MSG_NOSIGNAL: a closed peer is an error, not a signal.</summary>
    public static int Send(int fd, ReadOnlySpan<byte> data)
    {
        fixed (byte* start = data)
        {
            while (true)
            {
                var sent = NativeSend(fd, start, data.Length, MsgNoSignal);
                if (sent >= 0)
                    return (int)sent;
                var errno = Marshal.GetLastPInvokeError();
                if (errno == Eagain)
                    return 0;
                if (errno != Eintr)
                    throw ErrorOf(errno);
            }
        }
    }

    public static void ShutdownSend(int fd)
    {
        if (NativeShutdown(fd, ShutWr) < 0)
            throw LastError();
    }

    /// <summary>Closes; with <paramref name="reset"/>, SO_LINGER 0 first so the peer gets a RST.</summary>
    public static void Close(int fd, bool reset)
    {
        if (reset)
        {
            var linger = stackalloc int[2] { 1, 0 };
            NativeSetSockOpt(fd, SolSocket, SoLinger, linger, 2 * sizeof(int));
        }
        NativeClose(fd);
    }

    public static IPEndPoint LocalEndPoint(int fd) => EndPointOf(fd, peer: false);

    public static IPEndPoint RemoteEndPoint(int fd) => EndPointOf(fd, peer: true);

    private static IPEndPoint EndPointOf(int fd, bool peer)
    {
        var address = stackalloc byte[SockaddrSizeMax];
        var length = SockaddrSizeMax;
        var result = peer ? NativeGetPeerName(fd, address, &length) : NativeGetSockName(fd, address, &length);
        if (result < 0)
            throw LastError();
        return Read(address);
    }

    private static int Write(IPEndPoint endPoint, byte* address)
    {
        new Span<byte>(address, SockaddrSizeMax).Clear();
        var port = new Span<byte>(address + 2, 2);
        BinaryPrimitives.WriteUInt16BigEndian(port, (ushort)endPoint.Port);
        if (endPoint.AddressFamily == AddressFamily.InterNetwork)
        {
            *(ushort*)address = AfInet;
            endPoint.Address.TryWriteBytes(new Span<byte>(address + 4, 4), out _);
            return 16;
        }
        if (endPoint.AddressFamily != AddressFamily.InterNetworkV6)
            throw new SocketException((int)SocketError.AddressFamilyNotSupported);
        *(ushort*)address = AfInet6;
        endPoint.Address.TryWriteBytes(new Span<byte>(address + 8, 16), out _);
        *(uint*)(address + 24) = (uint)endPoint.Address.ScopeId;
        return 28;
    }

    private static IPEndPoint Read(byte* address)
    {
        var port = BinaryPrimitives.ReadUInt16BigEndian(new ReadOnlySpan<byte>(address + 2, 2));
        return *(ushort*)address == AfInet
            ? new IPEndPoint(new IPAddress(new ReadOnlySpan<byte>(address + 4, 4)), port)
            : new IPEndPoint(new IPAddress(new ReadOnlySpan<byte>(address + 8, 16), *(uint*)(address + 24)), port);
    }

    private static int ToNative(AddressFamily family) => family switch
    {
        AddressFamily.InterNetwork => AfInet,
        AddressFamily.InterNetworkV6 => AfInet6,
        _ => throw new SocketException((int)SocketError.AddressFamilyNotSupported),
    };

    private static void SetInt(int fd, int level, int option, int value)
    {
        if (NativeSetSockOpt(fd, level, option, &value, sizeof(int)) < 0)
            throw LastError();
    }

    private static int GetInt(int fd, int level, int option)
    {
        int value;
        var length = sizeof(int);
        if (NativeGetSockOpt(fd, level, option, &value, &length) < 0)
            throw LastError();
        return value;
    }

    private static SocketException LastError() => ErrorOf(Marshal.GetLastPInvokeError());

    /// <summary>Linux errno to the SocketError .NET's sockets raise for it.</summary>
    internal static SocketException ErrorOf(int errno) => new((int)(errno switch
    {
        1 or 13 => SocketError.AccessDenied,
        11 => SocketError.WouldBlock,
        12 => SocketError.NoBufferSpaceAvailable,
        22 => SocketError.InvalidArgument,
        23 or 24 => SocketError.TooManyOpenSockets,
        32 => SocketError.Shutdown,
        88 => SocketError.NotSocket,
        89 => SocketError.DestinationAddressRequired,
        90 => SocketError.MessageSize,
        92 => SocketError.ProtocolOption,
        95 => SocketError.OperationNotSupported,
        97 => SocketError.AddressFamilyNotSupported,
        98 => SocketError.AddressAlreadyInUse,
        99 => SocketError.AddressNotAvailable,
        100 => SocketError.NetworkDown,
        101 => SocketError.NetworkUnreachable,
        102 => SocketError.NetworkReset,
        103 => SocketError.ConnectionAborted,
        104 => SocketError.ConnectionReset,
        105 => SocketError.NoBufferSpaceAvailable,
        106 => SocketError.IsConnected,
        107 => SocketError.NotConnected,
        110 => SocketError.TimedOut,
        111 => SocketError.ConnectionRefused,
        112 => SocketError.HostDown,
        113 => SocketError.HostUnreachable,
        114 => SocketError.AlreadyInProgress,
        115 => SocketError.InProgress,
        _ => SocketError.SocketError,
    }));

    [LibraryImport("libc", EntryPoint = "socket", SetLastError = true)]
    private static partial int NativeSocket(int domain, int type, int protocol);

    [LibraryImport("libc", EntryPoint = "bind", SetLastError = true)]
    private static partial int NativeBind(int fd, byte* address, int length);

    [LibraryImport("libc", EntryPoint = "listen", SetLastError = true)]
    private static partial int NativeListen(int fd, int backlog);

    [LibraryImport("libc", EntryPoint = "connect", SetLastError = true)]
    private static partial int NativeConnect(int fd, byte* address, int length);

    [LibraryImport("libc", EntryPoint = "accept4", SetLastError = true)]
    private static partial int NativeAccept4(int fd, byte* address, int* length, int flags);

    [LibraryImport("libc", EntryPoint = "recv", SetLastError = true)]
    private static partial nint NativeRecv(int fd, byte* buffer, nint length, int flags);

    [LibraryImport("libc", EntryPoint = "send", SetLastError = true)]
    private static partial nint NativeSend(int fd, byte* buffer, nint length, int flags);

    [LibraryImport("libc", EntryPoint = "shutdown", SetLastError = true)]
    private static partial int NativeShutdown(int fd, int how);

    [LibraryImport("libc", EntryPoint = "close", SetLastError = true)]
    private static partial int NativeClose(int fd);

    [LibraryImport("libc", EntryPoint = "setsockopt", SetLastError = true)]
    private static partial int NativeSetSockOpt(int fd, int level, int option, void* value, int length);

    [LibraryImport("libc", EntryPoint = "getsockopt", SetLastError = true)]
    private static partial int NativeGetSockOpt(int fd, int level, int option, void* value, int* length);

    [LibraryImport("libc", EntryPoint = "getsockname", SetLastError = true)]
    private static partial int NativeGetSockName(int fd, byte* address, int* length);

    [LibraryImport("libc", EntryPoint = "getpeername", SetLastError = true)]
    private static partial int NativeGetPeerName(int fd, byte* address, int* length);
}

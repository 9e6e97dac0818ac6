using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;

namespace Sim.Real.Sockets;

/// <summary>The datagram (UDP) calls: recvfrom and sendto on non-blocking descriptors.</summary>
internal static unsafe partial class NativeSockets
{
    private const int SockDgram = 2;

    public static int OpenDatagram(AddressFamily family)
    {
        var fd = NativeSocket(ToNative(family), SockDgram | SockNonblock | SockCloexec, 0);
        if (fd < 0)
            throw LastError();
        if (family == AddressFamily.InterNetworkV6)
        {
            try
            {
                SetInt(fd, IpProtoIpv6, Ipv6V6Only, 1);
            }
            catch
            {
                // Nobody owns the descriptor yet: it must not outlive the throw.
                NativeClose(fd);
                throw;
            }
        }
        return fd;
    }

    /// <summary>Fixes a UDP socket's peer; it returns at once (nothing is sent).</summary>
    public static void ConnectDatagram(int fd, IPEndPoint remote)
    {
        if (!Connect(fd, remote))
            throw new SocketException((int)SocketError.InProgress);
    }

    /// <summary>The next datagram's bytes (truncated to the buffer) and its source, or -1 when none waits.</summary>
    public static int ReceiveFrom(int fd, Span<byte> buffer, out IPEndPoint? remote)
    {
        var address = stackalloc byte[SockaddrSizeMax];
        fixed (byte* start = buffer)
        {
            while (true)
            {
                var length = SockaddrSizeMax;
                var received = NativeRecvFrom(fd, start, buffer.Length, 0, address, &length);
                if (received >= 0)
                {
                    remote = Read(address);
                    return (int)received;
                }
                var errno = Marshal.GetLastPInvokeError();
                if (errno == Eagain)
                {
                    remote = null;
                    return -1;
                }
                if (errno != Eintr)
                    throw ErrorOf(errno);
            }
        }
    }

    /// <summary>Sends one datagram (to the connected peer when <paramref name="remote"/> is null):
    /// true when taken, false when the send buffer is full.</summary>
    public static bool SendTo(int fd, ReadOnlySpan<byte> datagram, IPEndPoint? remote)
    {
        var address = stackalloc byte[SockaddrSizeMax];
        var length = remote is null ? 0 : Write(remote, address);
        fixed (byte* start = datagram)
        {
            // A pointer is needed even for an empty datagram.
            var data = start == null ? address : start;
            while (true)
            {
                var sent = NativeSendTo(fd, data, datagram.Length, MsgNoSignal, remote is null ? null : address, length);
                if (sent >= 0)
                    return true;
                var errno = Marshal.GetLastPInvokeError();
                if (errno == Eagain)
                    return false;
                if (errno != Eintr)
                    throw ErrorOf(errno);
            }
        }
    }

    [LibraryImport("libc", EntryPoint = "recvfrom", SetLastError = true)]
    private static partial nint NativeRecvFrom(int fd, byte* buffer, nint length, int flags, byte* address, int* addressLength);

    [LibraryImport("libc", EntryPoint = "sendto", SetLastError = true)]
    private static partial nint NativeSendTo(int fd, byte* buffer, nint length, int flags, byte* address, int addressLength);
}

using System.Buffers;
using System.Runtime.InteropServices;

namespace Sim.Real.Sockets;

/// <summary>Vectored sends (several buffers in one sendmsg: writev with MSG_NOSIGNAL) and
/// receives (two buffers in one recvmsg).</summary>
internal static unsafe partial class NativeSockets
{
    // Buffers per sendmsg: Linux's IOV_MAX.
    internal const int VectorsPerSendMax = 1024;

    // The pins of the buffers of a send in progress, one array per thread (sends never nest).
    [ThreadStatic]
    private static MemoryHandle[]? s_pins;

    /// <summary>Bytes accepted from <paramref name="segments"/> (at most <see cref="VectorsPerSendMax"/>
    /// of them), 0 when it would block.</summary>
    public static int Send(int fd, ReadOnlySpan<ReadOnlyMemory<byte>> segments)
    {
        var count = Math.Min(segments.Length, VectorsPerSendMax);
        var pins = s_pins ??= new MemoryHandle[VectorsPerSendMax];
        var vectors = stackalloc IoVector[count];
        try
        {
            for (var i = 0; i < count; i++)
            {
                pins[i] = segments[i].Pin();
                vectors[i] = new IoVector { Base = pins[i].Pointer, Length = (nuint)segments[i].Length };
            }
            var message = new MessageHeader { Vectors = vectors, VectorCount = (nuint)count };
            while (true)
            {
                var sent = NativeSendMsg(fd, &message, MsgNoSignal);
                if (sent >= 0)
                    return (int)sent;
                var errno = Marshal.GetLastPInvokeError();
                if (errno == Eagain)
                    return 0;
                if (errno != Eintr)
                    throw ErrorOf(errno);
            }
        }
        finally
        {
            for (var i = 0; i < count; i++)
                pins[i].Dispose();
        }
    }

    /// <summary>Bytes received into <paramref name="first"/>, then <paramref name="second"/>; 0 at
    /// end of stream, -1 when it would block.</summary>
    public static int Receive(int fd, Span<byte> first, Span<byte> second)
    {
        fixed (byte* firstStart = first)
        fixed (byte* secondStart = second)
        {
            var vectors = stackalloc IoVector[2];
            vectors[0] = new IoVector { Base = firstStart, Length = (nuint)first.Length };
            vectors[1] = new IoVector { Base = secondStart, Length = (nuint)second.Length };
            var message = new MessageHeader { Vectors = vectors, VectorCount = 2 };
            while (true)
            {
                var received = NativeRecvMsg(fd, &message, 0);
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

    [StructLayout(LayoutKind.Sequential)]
    private struct IoVector
    {
        public void* Base;
        public nuint Length;
    }

    /// <summary><c>struct msghdr</c> (the padding after the name length falls out of sequential layout).</summary>
    [StructLayout(LayoutKind.Sequential)]
    private struct MessageHeader
    {
        public void* Name;
        public int NameLength;
        public IoVector* Vectors;
        public nuint VectorCount;
        public void* Control;
        public nuint ControlLength;
        public int Flags;
    }

    [LibraryImport("libc", EntryPoint = "sendmsg", SetLastError = true)]
    private static partial nint NativeSendMsg(int fd, MessageHeader* message, int flags);

    [LibraryImport("libc", EntryPoint = "recvmsg", SetLastError = true)]
    private static partial nint NativeRecvMsg(int fd, MessageHeader* message, int flags);
}

using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;
using Sim.Core;

namespace Sim.Real.Sockets;

/// <summary>sendfile(2): file bytes to a socket without passing through user memory.</summary>
internal static unsafe partial class NativeSockets
{
    private const int Ebadf = 9;
    private const int Einval = 22;
    private const int Enosys = 38;
    private const int Eoverflow = 75;
    private const int Eopnotsupp = 95;

    /// <summary>Bytes sent from <paramref name="offset"/>, 0 at the end of the file, -1 when the socket would block.</summary>
    /// <exception cref="SendfileNotAvailableException">The file cannot be sent this way (not a regular
    /// file, not open for reading...).</exception>
    public static int SendFile(int fd, SafeFileHandle file, long offset, int count)
    {
        var added = false;
        file.DangerousAddRef(ref added);
        try
        {
            var source = (int)file.DangerousGetHandle();
            while (true)
            {
                var position = offset;
                var sent = NativeSendFile(fd, source, &position, (nuint)count);
                if (sent >= 0)
                    return (int)sent;
                var errno = Marshal.GetLastPInvokeError();
                if (errno == Eagain)
                    return -1;
                if (errno is Einval or Enosys or Eoverflow or Eopnotsupp or Ebadf)
                    throw new SendfileNotAvailableException($"os.sendfile call failed: {ErrorOf(errno).Message} (errno {errno})");
                if (errno != Eintr)
                    throw ErrorOf(errno);
            }
        }
        finally
        {
            if (added)
                file.DangerousRelease();
        }
    }

    [LibraryImport("libc", EntryPoint = "sendfile", SetLastError = true)]
    private static partial nint NativeSendFile(int outFd, int inFd, long* offset, nuint count);
}

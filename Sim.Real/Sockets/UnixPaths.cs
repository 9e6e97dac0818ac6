using System.Runtime.InteropServices;
using Sim.Core;

namespace Sim.Real.Sockets;

/// <summary>
/// What the real backends need of the file system for Unix-domain sockets: whether a path is a
/// socket file and which file it is (so that a server removes only its own socket file), and
/// removing it. On Linux through <c>statx</c> (one layout on every architecture); elsewhere
/// through .NET's file API, which cannot tell a socket from a plain file except on Windows (a
/// reparse point there): a file it cannot prove to be a socket is never removed.
/// </summary>
internal static unsafe partial class UnixPaths
{
    private const int AtFdCwd = -100;
    private const uint StatxType = 0x1;
    private const uint StatxIno = 0x100;
    private const int StatxSize = 256;
    private const int StatxModeOffset = 28;
    private const int StatxInoOffset = 32;
    private const int FileTypeMask = 0xF000;   // S_IFMT
    private const int FileTypeSocket = 0xC000; // S_IFSOCK
    private const int Enoent = 2;
    private const int Enotdir = 20;

    /// <summary>What is at <paramref name="path"/>, following symbolic links, or null.</summary>
    /// <exception cref="IOException">The path could not be examined.</exception>
    public static UnixPathInfo? Stat(string path)
    {
        if (OperatingSystem.IsLinux())
            return StatLinux(path);
        var info = new FileInfo(path);
        if (!info.Exists)
            return null;
        var isSocket = OperatingSystem.IsWindows() && info.Attributes.HasFlag(FileAttributes.ReparsePoint) && info.LinkTarget is null;
        return new UnixPathInfo(isSocket, info.LastWriteTimeUtc.Ticks);
    }

    /// <summary>Removes the file at <paramref name="path"/>; nothing there is not an error.</summary>
    public static void Remove(string path) => File.Delete(path);

    private static UnixPathInfo? StatLinux(string path)
    {
        var buffer = stackalloc byte[StatxSize];
        if (NativeStatx(AtFdCwd, path, 0, StatxType | StatxIno, buffer) < 0)
        {
            var errno = Marshal.GetLastPInvokeError();
            if (errno is Enoent or Enotdir)
                return null;
            throw new IOException($"statx('{path}') failed: {Marshal.GetPInvokeErrorMessage(errno)}", errno);
        }
        var mode = *(ushort*)(buffer + StatxModeOffset);
        var inode = *(ulong*)(buffer + StatxInoOffset);
        return new UnixPathInfo((mode & FileTypeMask) == FileTypeSocket, unchecked((long)inode));
    }

    [LibraryImport("libc", EntryPoint = "statx", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int NativeStatx(int directory, string path, int flags, uint mask, byte* buffer);
}

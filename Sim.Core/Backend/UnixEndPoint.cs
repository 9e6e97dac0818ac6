using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Sim.Core;

/// <summary>
/// The address of a Unix-domain stream socket: a path in the file namespace, or "" for an
/// unnamed socket (a client that never bound, as asyncio's clients are). Every backend reports
/// Unix sockets with it, so the same program sees the same addresses in simulation and on a real
/// machine; a transport's <c>peername</c>/<c>sockname</c> extra info is its <see cref="Path"/>,
/// as in asyncio.
/// </summary>
/// <remarks>
/// Unlike .NET's <see cref="UnixDomainSocketEndPoint"/>, binding a socket to it does not make the
/// socket delete its file when disposed of: whether a server's socket file is removed is decided
/// by the loop (asyncio's <c>cleanup_socket</c>).
/// </remarks>
public sealed class UnixEndPoint : EndPoint, IEquatable<UnixEndPoint>
{
    /// <summary>
    /// The longest path, in UTF-8 bytes: <c>sun_path</c> holds 108 bytes on Linux with the
    /// terminating NUL, and .NET's sockets require the NUL on every platform.
    /// </summary>
    public const int PathBytesMax = 107;

    // sun_path starts after the 2-byte family on Linux and Windows (and after sun_len and
    // sun_family on the BSDs): at 2 everywhere.
    private const int PathOffset = 2;

    /// <summary>An address for <paramref name="path"/>.</summary>
    /// <exception cref="ArgumentException">The path is empty, holds a NUL character, or is longer
    /// than <see cref="PathBytesMax"/> bytes in UTF-8.</exception>
    public UnixEndPoint(string path)
    {
        Path = CheckPath(path, nameof(path));
    }

    /// <summary>The address the kernel reports for <paramref name="nativePath"/> (UTF-8, no NUL):
    /// not checked, since a peer may have bound any path the kernel takes.</summary>
    private UnixEndPoint(ReadOnlySpan<byte> nativePath)
    {
        Path = Encoding.UTF8.GetString(nativePath);
    }

    /// <summary>The address of an unnamed socket.</summary>
    public static UnixEndPoint Unnamed { get; } = new(ReadOnlySpan<byte>.Empty);

    /// <summary>The path, or "" for an unnamed socket.</summary>
    public string Path { get; }

    /// <inheritdoc/>
    public override AddressFamily AddressFamily => AddressFamily.Unix;

    /// <summary>
    /// Checks that <paramref name="path"/> can name a Unix socket and returns it.
    /// </summary>
    /// <exception cref="ArgumentNullException">The path is null.</exception>
    /// <exception cref="ArgumentException">The path is empty, holds a NUL character (Linux's
    /// abstract namespace is not supported), or is longer than <see cref="PathBytesMax"/> bytes.</exception>
    public static string CheckPath(string path, string parameterName)
    {
        ArgumentNullException.ThrowIfNull(path, parameterName);
        if (path.Length == 0)
            throw new ArgumentException("A Unix socket path cannot be empty.", parameterName);
        if (path.Contains('\0', StringComparison.Ordinal))
            throw new ArgumentException($"A Unix socket path cannot hold a NUL character (the abstract namespace is not supported): {path.Replace("\0", "\\0", StringComparison.Ordinal)}", parameterName);
        var length = Encoding.UTF8.GetByteCount(path);
        if (length > PathBytesMax)
            throw new ArgumentException($"A Unix socket path is at most {PathBytesMax} bytes in UTF-8 (sun_path holds {PathBytesMax + 1} with its NUL); this one is {length}: {path}", parameterName);
        return path;
    }

    /// <summary>The native <c>sockaddr_un</c> (what a .NET <see cref="Socket"/> binds or connects to).</summary>
    public override SocketAddress Serialize()
    {
        var bytes = Encoding.UTF8.GetBytes(Path);
        var address = new SocketAddress(AddressFamily.Unix, PathOffset + bytes.Length + (bytes.Length == 0 ? 0 : 1));
        for (var i = 0; i < bytes.Length; i++)
            address[PathOffset + i] = bytes[i];
        return address;
    }

    /// <summary>Reads a native <c>sockaddr_un</c> (an unnamed socket's has no path).</summary>
    public override EndPoint Create(SocketAddress socketAddress)
    {
        ArgumentNullException.ThrowIfNull(socketAddress);
        if (socketAddress.Family != AddressFamily.Unix)
            throw new ArgumentException($"Not a Unix socket address: {socketAddress.Family}.", nameof(socketAddress));
        var end = socketAddress.Size;
        var bytes = new byte[Math.Max(0, end - PathOffset)];
        for (var i = 0; i < bytes.Length; i++)
            bytes[i] = socketAddress[PathOffset + i];
        var length = Array.IndexOf(bytes, (byte)0);
        return FromNative(bytes.AsSpan(0, length < 0 ? bytes.Length : length));
    }

    /// <summary>The address whose path is <paramref name="pathBytes"/> (UTF-8, no NUL), as the
    /// kernel reports it.</summary>
    internal static UnixEndPoint FromNative(ReadOnlySpan<byte> pathBytes) =>
        pathBytes.IsEmpty ? Unnamed : new UnixEndPoint(pathBytes);

    /// <inheritdoc/>
    public bool Equals(UnixEndPoint? other) => other is not null && string.Equals(Path, other.Path, StringComparison.Ordinal);

    /// <inheritdoc/>
    public override bool Equals(object? obj) => Equals(obj as UnixEndPoint);

    /// <inheritdoc/>
    public override int GetHashCode() => StringComparer.Ordinal.GetHashCode(Path);

    /// <summary>The path ("" for an unnamed socket), as asyncio shows it.</summary>
    public override string ToString() => Path;
}

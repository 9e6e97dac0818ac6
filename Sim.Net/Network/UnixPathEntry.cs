namespace Sim.Net;

/// <summary>
/// A file in a host's namespace: a Unix socket file (listening while <see cref="Listener"/> is
/// set, stale once its listener closed — Linux leaves the file behind) or a plain file.
/// </summary>
internal sealed class UnixPathEntry(long identity, bool isSocket)
{
    /// <summary>The inode number: a file created later at the same path gets another.</summary>
    public long Identity { get; } = identity;

    public bool IsSocket { get; } = isSocket;

    /// <summary>The listener bound to this socket file, or null (stale, or not a socket).</summary>
    public SimStreamListener? Listener { get; set; }
}

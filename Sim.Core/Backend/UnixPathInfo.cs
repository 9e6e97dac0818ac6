namespace Sim.Core;

/// <summary>What a backend found at a path: whether it is a socket file, and an identity that a
/// file created later at the same path does not share (the inode number on Linux).</summary>
/// <param name="IsSocket">True for a socket file (bound, listening or stale).</param>
/// <param name="Identity">Equal for the same file, different for a file that replaced it.</param>
public readonly record struct UnixPathInfo(bool IsSocket, long Identity);

namespace Sim.Core;

/// <summary>
/// The socket options of a listener (<see cref="INetworkBackend.Listen(System.Net.IPEndPoint, int, ListenOptions)"/>),
/// as asyncio's <c>create_server</c> sets them.
/// </summary>
/// <param name="ReuseAddress">SO_REUSEADDR: bind while connections of an earlier listener on the
/// port linger (TIME_WAIT). asyncio's default for servers on POSIX.</param>
/// <param name="ReusePort">SO_REUSEPORT: several listeners share the port and the kernel spreads
/// the connections among them.</param>
public readonly record struct ListenOptions(bool ReuseAddress, bool ReusePort);

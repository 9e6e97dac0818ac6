using System.Net;

namespace Sim.Core;

/// <summary>
/// Implemented next to <see cref="INetworkBackend"/> by a backend that can name an address (a
/// reverse lookup: what <see cref="EventLoop.GetNameInfo"/> asks without
/// <see cref="NameInfoFlags.NumericHost"/>). Without it the loop answers with the numbers.
/// </summary>
public interface IReverseResolver
{
    /// <summary>The name of <paramref name="address"/>, or null when the resolver knows none.
    /// Runs on the loop that awaits it.</summary>
    Coroutine<string?> ResolveAddress(IPAddress address);
}

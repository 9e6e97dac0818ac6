namespace Sim.Core;

/// <summary>
/// Where <see cref="Buggify"/> asks whether to misbehave: a simulation supplies one (seeded and
/// recorded); a production loop has none, so user code's fault paths never run there.
/// </summary>
public interface IFaultInjector
{
    /// <summary>Whether the site <paramref name="site"/> (<c>File.cs:42</c>) misbehaves this time,
    /// given it asks to with <paramref name="probability"/> (in [0, 1], checked by the caller).</summary>
    bool Buggify(string site, double probability);
}

using System.Net;
using System.Net.Sockets;

namespace Sim.Net;

/// <summary>
/// The simulated resolver's table: names (case-insensitive) to addresses, in order, and what goes
/// wrong with them: names whose lookups fail (HostNotFound, TryAgain), always or by a seeded draw,
/// and names whose lookups take a seeded time of their own. Reverse lookups answer an address's
/// first name.
/// </summary>
public sealed class DnsTable
{
    private readonly Dictionary<string, List<IPAddress>> _names = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, (SocketError Error, double Probability)> _failures = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, (double Min, double Max)> _delays = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<IPAddress, string> _reverse = [];

    /// <summary>Adds <paramref name="addresses"/> after those <paramref name="name"/> already has.</summary>
    public void Add(string name, params IPAddress[] addresses)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(addresses);
        if (!_names.TryGetValue(name, out var list))
            _names[name] = list = [];
        foreach (var address in addresses)
        {
            if (!list.Contains(address))
                list.Add(address);
            _reverse.TryAdd(address, name);
        }
    }

    /// <summary>Adds addresses given as text.</summary>
    public void Add(string name, params string[] addresses)
    {
        ArgumentNullException.ThrowIfNull(addresses);
        Add(name, addresses.Select(IPAddress.Parse).ToArray());
    }

    /// <summary>Forgets <paramref name="name"/>: lookups then fail with HostNotFound.</summary>
    public bool Remove(string name)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        if (!_names.Remove(name, out var addresses))
            return false;
        foreach (var address in addresses)
        {
            if (_reverse.TryGetValue(address, out var owner) && string.Equals(owner, name, StringComparison.OrdinalIgnoreCase))
                _reverse.Remove(address);
        }
        return true;
    }

    /// <summary>
    /// Makes lookups of <paramref name="name"/> fail with <paramref name="error"/>: every lookup
    /// (probability 1), or each with <paramref name="probability"/>, drawn from the simulation's
    /// choices (a flaky resolver). The name's addresses, if any, are kept for the lookups that succeed.
    /// </summary>
    /// <param name="name">The name.</param>
    /// <param name="error">HostNotFound (EAI_NONAME: the name does not exist), TryAgain
    /// (EAI_AGAIN: a temporary failure), NoRecovery (EAI_FAIL) or NoData (no address of the family).</param>
    /// <param name="probability">The chance a lookup fails, in (0, 1].</param>
    public void Fail(string name, SocketError error = SocketError.HostNotFound, double probability = 1)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        if (error is not (SocketError.HostNotFound or SocketError.TryAgain or SocketError.NoRecovery or SocketError.NoData))
            throw new ArgumentOutOfRangeException(nameof(error), error, "A resolver fails with HostNotFound, TryAgain, NoRecovery or NoData.");
        if (!(probability > 0 && probability <= 1))
            throw new ArgumentOutOfRangeException(nameof(probability), probability, "A failure probability lies in (0, 1].");
        _failures[name] = (error, probability);
    }

    /// <summary>Lookups of <paramref name="name"/> no longer fail. True when they did.</summary>
    public bool Heal(string name) => _failures.Remove(name);

    /// <summary>
    /// Lookups of <paramref name="name"/> (failing or not) take a time drawn from
    /// [<paramref name="minSeconds"/>, <paramref name="maxSeconds"/>] instead of
    /// [0, <see cref="NetworkOptions.DnsLatencyMax"/>]: a slow or distant resolver.
    /// </summary>
    public void Delay(string name, double minSeconds, double maxSeconds)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        if (!(minSeconds >= 0 && maxSeconds >= minSeconds && maxSeconds <= 3600))
            throw new ArgumentOutOfRangeException(nameof(maxSeconds), $"A DNS delay needs 0 <= min ({minSeconds}) <= max ({maxSeconds}) <= 3600 s.");
        _delays[name] = (minSeconds, maxSeconds);
    }

    /// <summary>The addresses of <paramref name="name"/>, in order, or null when unknown.</summary>
    public IReadOnlyList<IPAddress>? Lookup(string name) => _names.GetValueOrDefault(name);

    /// <summary>The first name <paramref name="address"/> was added under, or null (a reverse lookup).</summary>
    public string? NameOf(IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        return _reverse.GetValueOrDefault(address);
    }

    /// <summary>How <paramref name="name"/>'s lookups fail, if they do.</summary>
    internal (SocketError Error, double Probability)? FailureOf(string name) => _failures.TryGetValue(name, out var failure) ? failure : null;

    /// <summary>The delay range of <paramref name="name"/>'s lookups, if it has its own.</summary>
    internal (double Min, double Max)? DelayOf(string name) => _delays.TryGetValue(name, out var delay) ? delay : null;
}

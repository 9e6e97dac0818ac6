using System.Net;

namespace Sim.Net;

/// <summary>The simulated resolver's table: names (case-insensitive) to addresses, in order.</summary>
public sealed class DnsTable
{
    private readonly Dictionary<string, List<IPAddress>> _names = new(StringComparer.OrdinalIgnoreCase);

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
        }
    }

    /// <summary>Adds addresses given as text.</summary>
    public void Add(string name, params string[] addresses)
    {
        ArgumentNullException.ThrowIfNull(addresses);
        Add(name, addresses.Select(IPAddress.Parse).ToArray());
    }

    /// <summary>Forgets <paramref name="name"/>: lookups then fail with HostNotFound.</summary>
    public bool Remove(string name) => _names.Remove(name);

    /// <summary>The addresses of <paramref name="name"/>, in order, or null when unknown.</summary>
    public IReadOnlyList<IPAddress>? Lookup(string name) => _names.GetValueOrDefault(name);
}

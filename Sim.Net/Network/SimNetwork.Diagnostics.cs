using System.Globalization;
using System.Text;
using Sim.Core;

namespace Sim.Net;

public sealed partial class SimNetwork
{
    // Every open endpoint (stream sockets, listeners, datagram sockets), in the order opened.
    private readonly LinkedList<IReadinessSource> _endpoints = new();

    /// <summary>Every open endpoint, in the order opened: host, protocol, addresses and state.</summary>
    public IReadOnlyList<string> DescribeOpenEndpoints() => _endpoints.Select(e => e.Describe()).ToList();

    internal void Register(IReadinessSource endpoint) => endpoint.Registration = _endpoints.AddLast(endpoint);

    internal void Unregister(IReadinessSource endpoint)
    {
        if (endpoint.Registration is { } node)
            _endpoints.Remove(node);
        endpoint.Registration = null;
    }

    /// <summary>
    /// The network's part of a deadlock report: the endpoints still open, and when
    /// <paramref name="spinningForEver"/>, the ready endpoints whose callbacks never serve them
    /// (the loop would spin on them for ever, virtual time standing still). Null when nothing is open.
    /// </summary>
    internal string? DescribeDeadlock(bool spinningForEver)
    {
        if (_endpoints.Count == 0 && !spinningForEver)
            return null;
        var text = new StringBuilder();
        if (spinningForEver)
        {
            text.Append(CultureInfo.InvariantCulture, $"Livelock at {_simulation.Clock}: ");
            text.Append(string.Join("; ", _armed.Select(e => $"{e.Describe()} is ready for {e.Interest & e.Readiness}")));
            text.Append(" and its callbacks do not serve it (nothing was read, written or accepted since it was last reported), with no timer or delivery left: a real loop would spin on it for ever.");
        }
        if (_endpoints.Count > 0)
        {
            if (text.Length > 0)
                text.Append(' ');
            text.Append(CultureInfo.InvariantCulture, $"Open network endpoints ({_endpoints.Count}): ");
            text.Append(string.Join("; ", _endpoints.Select(e => e.Describe())));
            text.Append('.');
        }
        if (_heldFlows.Count > 0)
        {
            text.Append(CultureInfo.InvariantCulture, $" Held at partitioned links until a repair ({_heldFlows.Count}): ");
            text.Append(string.Join("; ", _heldFlows.Select(f =>
                $"{Format(f.Sender.LocalEndPoint)} -> {Format(f.Receiver.LocalEndPoint)} ({f.Sender.Host.Name} -> {f.Receiver.Host.Name}, {Bytes(f.InFlight)} in flight)")));
            text.Append('.');
        }
        return text.ToString();
    }

    /// <summary>"watched for Readable" or "not watched", for descriptions.</summary>
    internal static string DescribeInterest(IoReadiness interest) =>
        interest == IoReadiness.None ? "not watched" : $"watched for {interest}";
}

using System.Net;
using System.Net.Sockets;
using Sim.Core;

namespace Sim.Net;

public sealed partial class SimNetwork
{
    private static readonly Action<Datagram> s_deliverDatagram = static datagram => datagram.Sender.Network.DeliverDatagram(datagram);
    private static readonly Action<Datagram> s_portUnreachable = static datagram => datagram.Sender.OnPortUnreachable(datagram.Destination);

    /// <summary>The backend's datagram socket: bound on the host owning the local address (the
    /// default host for none or a wildcard), to an ephemeral port when none is given.</summary>
    internal IDatagramSocket OpenDatagram(AddressFamily family, IPEndPoint? local, IPEndPoint? remote)
    {
        if (family is not (AddressFamily.InterNetwork or AddressFamily.InterNetworkV6 or AddressFamily.Unspecified))
            throw Error(SocketError.AddressFamilyNotSupported, $"[Errno 97] Address family not supported by protocol: {family}");
        family = family != AddressFamily.Unspecified ? family : local?.AddressFamily ?? remote?.AddressFamily ?? AddressFamily.InterNetwork;
        if ((local is not null && local.AddressFamily != family) || (remote is not null && remote.AddressFamily != family))
            throw Error(SocketError.AddressFamilyNotSupported, $"[Errno 97] Address family not supported by protocol: {local} / {remote} on a {family} socket");
        var wildcard = family == AddressFamily.InterNetworkV6 ? IPAddress.IPv6Any : IPAddress.Any;
        var host = local is not null ? BindHost(local.Address) : DefaultHost;
        var address = local?.Address ?? wildcard;
        if (remote is not null && address.Equals(wildcard))
        {
            // A connect picks the source address, as the route would.
            address = host.SourceAddressFor(remote.Address)
                ?? throw Error(SocketError.NetworkUnreachable, $"[Errno 101] Network is unreachable: {host.Name} has no {family} address to reach {remote}");
        }
        var port = local is { Port: not 0 } ? local.Port : host.AllocatePort();
        var bound = new IPEndPoint(address, port);
        if (local is { Port: not 0 })
        {
            if (DatagramPortTaken(host, bound, wildcard))
                throw Error(SocketError.AddressAlreadyInUse, $"[Errno 98] Address already in use: {bound}");
            host.UsePort(port);
        }
        var socket = new SimDatagramSocket(this, host, bound, remote);
        host.DatagramSockets[bound] = socket;
        Record(host, "udp.open", remote is null ? Format(bound) : $"{Format(bound)} -> {Format(remote)}");
        return socket;
    }

    private static bool DatagramPortTaken(Host host, IPEndPoint bound, IPAddress wildcard) =>
        host.DatagramSockets.ContainsKey(bound)
        || host.DatagramSockets.ContainsKey(new IPEndPoint(wildcard, bound.Port))
        || (bound.Address.Equals(wildcard) && host.Addresses.Any(a => a.AddressFamily == bound.AddressFamily && host.DatagramSockets.ContainsKey(new IPEndPoint(a, bound.Port))));

    /// <summary>
    /// Puts a datagram on the wire: lost, or delivered once or twice, each copy by a loop timer at
    /// a drawn latency. Each decision — loss, duplication, each latency — is one call to the
    /// choice source (loss and duplication only when their probability is not 0).
    /// </summary>
    internal void SendDatagram(Datagram datagram, ref long lastDeliveryNs)
    {
        var choices = _simulation.Choices;
        if (Options.TraceSegments)
            Record(datagram.Sender.Host, "udp.send", $"{Format(datagram.Source)} -> {Format(datagram.Destination)} {Bytes(datagram.Data.Length)}");
        if (Options.DatagramLossProbability > 0 && choices.NextBool(Options.DatagramLossProbability))
        {
            Record(datagram.Sender.Host, "udp.lost", $"{Format(datagram.Source)} -> {Format(datagram.Destination)} {Bytes(datagram.Data.Length)}");
            return;
        }
        var duplicated = Options.DatagramDuplicationProbability > 0 && choices.NextBool(Options.DatagramDuplicationProbability);
        datagram.Sender.InFlight += datagram.Data.Length;
        ScheduleDatagram(datagram, ref lastDeliveryNs);
        if (duplicated)
        {
            Record(datagram.Sender.Host, "udp.duplicate", $"{Format(datagram.Source)} -> {Format(datagram.Destination)} {Bytes(datagram.Data.Length)}");
            ScheduleDatagram(datagram with { HoldsSendBuffer = false }, ref lastDeliveryNs);
        }
    }

    private void ScheduleDatagram(Datagram datagram, ref long lastDeliveryNs)
    {
        var now = Loop.TimeNs();
        long at;
        if (Options.DatagramJitterMax > 0)
        {
            var seconds = Options.LatencyMin + _simulation.Choices.NextDouble() * (Options.LatencyMax + Options.DatagramJitterMax - Options.LatencyMin);
            at = now + Math.Max(1, (long)(seconds * 1e9));
        }
        else
        {
            // No jitter: in the order sent, as loopback delivers them.
            at = Math.Max(now + DrawLatencyNs(), lastDeliveryNs);
        }
        lastDeliveryNs = Math.Max(lastDeliveryNs, at);
        Loop.CallAtNs(at, s_deliverDatagram, datagram);
    }

    /// <summary>A datagram arrives: queued at the socket it reaches, dropped when no host has the
    /// address or the socket's buffer is full, answered with a port unreachable when no socket takes it.</summary>
    private void DeliverDatagram(Datagram datagram)
    {
        if (HasLinkFaults && HostOf(datagram.Destination.Address) is { } reached
            && IsBlocked(datagram.Sender.Host, reached, out var untilNs))
        {
            if (untilNs != long.MaxValue)
            {
                // Clogged: it arrives when the clog ends.
                Loop.CallAtNs(untilNs, s_deliverDatagram, datagram);
                return;
            }
            if (datagram.HoldsSendBuffer)
                datagram.Sender.Delivered(datagram.Data.Length);
            Record(datagram.Sender.Host, "udp.drop", $"{Format(datagram.Source)} -> {Format(datagram.Destination)}: the link is partitioned");
            return;
        }
        if (datagram.HoldsSendBuffer)
            datagram.Sender.Delivered(datagram.Data.Length);
        if (HostOf(datagram.Destination.Address) is not { } target)
        {
            Record(datagram.Sender.Host, "udp.drop", $"{Format(datagram.Source)} -> {Format(datagram.Destination)}: no host has the address");
            return;
        }
        if (target.FindDatagramSocket(datagram.Destination, datagram.Source) is not { } socket)
        {
            Record(target, "udp.unreachable", $"{Format(datagram.Destination)} <- {Format(datagram.Source)}: no socket bound");
            var answerAtNs = Loop.TimeNs() + DrawLatencyNs();
            if (HasLinkFaults && IsBlocked(target, datagram.Sender.Host, out var backUntilNs))
            {
                if (backUntilNs == long.MaxValue)
                {
                    // The ICMP answer cannot cross back: the sender hears nothing.
                    Record(target, "udp.icmp-lost", $"{Format(datagram.Source)} <- {Format(datagram.Destination)}: the link is partitioned");
                    return;
                }
                answerAtNs = Math.Max(answerAtNs, backUntilNs);
            }
            Loop.CallAtNs(answerAtNs, s_portUnreachable, datagram);
            return;
        }
        socket.OnDatagram(datagram);
    }
}

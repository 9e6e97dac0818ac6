using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Sim.Core;

namespace Sim.Net;

/// <summary>
/// A simulated UDP socket, as the backend hands it to Sim.Core: datagrams queue whole at the
/// receiver up to its buffer, a connected socket hears of an unreachable peer port as a pending
/// ConnectionRefused (reported once, by the next receive or send, as Linux does).
/// </summary>
[DebuggerDisplay("{ToString(),nq}")]
internal sealed class SimDatagramSocket : IDatagramSocket, IReadinessSource
{
    private readonly Queue<(byte[] Data, IPEndPoint From)> _received = new();
    private readonly IPEndPoint _local;
    private readonly IPEndPoint? _remote;
    private int _receivedBytes;
    private long _lastDeliveryNs;
    private SocketError _pendingError;
    private bool _closed;

    public SimDatagramSocket(SimNetwork network, Host host, IPEndPoint local, IPEndPoint? remote)
    {
        Network = network;
        Host = host;
        _local = local;
        _remote = remote;
        network.Register(this);
    }

    public SimNetwork Network { get; }

    /// <summary>The host this socket is on.</summary>
    public Host Host { get; }

    public EndPoint LocalEndPoint => _local;

    public EndPoint? RemoteEndPoint => _remote;

    public IoReadiness Interest { get; private set; }

    public IIoWatcher? Watcher { get; private set; }

    public bool Armed { get; set; }

    /// <summary>Bytes sent and not yet arrived (or dropped at arrival): the send buffer in use.</summary>
    public int InFlight { get; set; }

    public IoReadiness Readiness
    {
        get
        {
            if (_closed)
                return IoReadiness.None;
            var error = _pendingError != SocketError.Success;
            var readiness = _received.Count > 0 || error ? IoReadiness.Readable : IoReadiness.None;
            if (error || InFlight < Network.Options.DatagramSendBufferMax)
                readiness |= IoReadiness.Writable;
            return readiness;
        }
    }

    public void Watch(IIoWatcher watcher, IoReadiness interest)
    {
        ArgumentNullException.ThrowIfNull(watcher);
        if (_closed)
            return;
        Watcher = interest == IoReadiness.None ? null : watcher;
        Interest = interest;
        Network.Rearm(this);
    }

    public int ReceiveFrom(Span<byte> buffer, out EndPoint? remote)
    {
        ObjectDisposedException.ThrowIf(_closed, this);
        ThrowPendingError();
        if (!_received.TryDequeue(out var datagram))
        {
            remote = null;
            return IDatagramSocket.WouldBlock;
        }
        _receivedBytes -= datagram.Data.Length;
        Network.NoteProgress();
        var count = Math.Min(buffer.Length, datagram.Data.Length);
        datagram.Data.AsSpan(0, count).CopyTo(buffer);
        remote = datagram.From;
        return count;
    }

    public bool SendTo(ReadOnlySpan<byte> datagram, EndPoint? remote)
    {
        ObjectDisposedException.ThrowIf(_closed, this);
        ThrowPendingError();
        var destination = (IPEndPoint?)remote ?? _remote
            ?? throw SimNetwork.Error(SocketError.DestinationAddressRequired, "[Errno 89] Destination address required");
        if (destination.AddressFamily != _local.AddressFamily)
            throw SimNetwork.Error(SocketError.AddressFamilyNotSupported, $"[Errno 97] Address family not supported by protocol: {destination} from {_local}");
        if (datagram.Length > Network.Options.DatagramSizeMax)
            throw SimNetwork.Error(SocketError.MessageSize, "[Errno 90] Message too long");
        // As Linux's sock_alloc_send_pskb: a send goes while the buffer in use is below the limit,
        // whatever its size, so readiness (below the limit) and sending always agree.
        if (InFlight >= Network.Options.DatagramSendBufferMax)
            return false;
        var source = _local;
        if (source.Address.Equals(IPAddress.Any) || source.Address.Equals(IPAddress.IPv6Any))
        {
            var address = Host.SourceAddressFor(destination.Address)
                ?? throw SimNetwork.Error(SocketError.NetworkUnreachable, $"[Errno 101] Network is unreachable: {Host.Name} has no address to reach {destination}");
            source = new IPEndPoint(address, source.Port);
        }
        Network.NoteProgress();
        Network.SendDatagram(new Datagram(this, source, destination, datagram.ToArray(), HoldsSendBuffer: true), ref _lastDeliveryNs);
        return true;
    }

    public void Close()
    {
        if (_closed)
            return;
        _closed = true;
        Network.NoteProgress();
        Network.Unregister(this);
        Watcher = null;
        Interest = IoReadiness.None;
        _received.Clear();
        _receivedBytes = 0;
        Host.DatagramSockets.Remove(_local);
        Host.ReleasePort(_local.Port);
        Network.Record(Host, "udp.close", SimNetwork.Format(_local));
    }

    /// <summary>A datagram arrived for this socket: queued, or dropped when the buffer is full.</summary>
    internal void OnDatagram(Datagram datagram)
    {
        Debug.Assert(!_closed, "a closed socket is unbound: nothing reaches it");
        if (_receivedBytes + datagram.Data.Length > Network.Options.DatagramReceiveBufferMax)
        {
            Network.Record(Host, "udp.drop", $"{SimNetwork.Format(datagram.Destination)} <- {SimNetwork.Format(datagram.Source)}: receive buffer full");
            return;
        }
        _received.Enqueue((datagram.Data, datagram.Source));
        _receivedBytes += datagram.Data.Length;
        if (Network.Options.TraceSegments)
            Network.Record(Host, "udp.deliver", $"{SimNetwork.Format(datagram.Destination)} <- {SimNetwork.Format(datagram.Source)} {SimNetwork.Bytes(datagram.Data.Length)}");
        Network.Rearm(this);
    }

    /// <summary>A datagram this socket sent has left the send buffer.</summary>
    internal void Delivered(int length)
    {
        InFlight -= length;
        Debug.Assert(InFlight >= 0, "more bytes delivered than sent");
        if (!_closed)
            Network.Rearm(this);
    }

    /// <summary>An ICMP port unreachable came back: a connected socket keeps it as a pending
    /// ConnectionRefused; an unconnected one ignores it (Linux without IP_RECVERR).</summary>
    internal void OnPortUnreachable(IPEndPoint destination)
    {
        if (_closed || _remote is null || !_remote.Equals(destination))
            return;
        _pendingError = SocketError.ConnectionRefused;
        Network.Record(Host, "udp.refused", $"{SimNetwork.Format(_local)} -> {SimNetwork.Format(destination)}");
        Network.Rearm(this);
    }

    public LinkedListNode<IReadinessSource>? Registration { get; set; }

    public string Describe() =>
        $"{Host.Name} udp {SimNetwork.Format(_local)}{(_remote is null ? "" : $" -> {SimNetwork.Format(_remote)}")} ({_received.Count} datagrams unread, {SimNetwork.DescribeInterest(Interest)})";

    public override string ToString() =>
        $"<SimDatagramSocket {_local}{(_remote is null ? "" : $" -> {_remote}")}{(_closed ? " closed" : "")} queued={_received.Count} inflight={InFlight}{(_pendingError != SocketError.Success ? $" error={_pendingError}" : "")}>";

    private void ThrowPendingError()
    {
        var error = _pendingError;
        if (error == SocketError.Success)
            return;
        _pendingError = SocketError.Success;
        throw SimNetwork.Error(error, "[Errno 111] Connection refused");
    }
}

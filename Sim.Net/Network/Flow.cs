using System.Diagnostics;
using Sim.Core;

namespace Sim.Net;

/// <summary>
/// One direction of a connection: segments from <see cref="Sender"/> to <see cref="Receiver"/>,
/// each arriving at a drawn latency but never before the previous one, so bytes arrive in order
/// (as TCP delivers them), in drawn chunk sizes.
/// </summary>
/// <remarks>
/// Segments wait in a queue ordered by arrival time, their bytes in one buffer: the flow is one
/// <see cref="INetworkEvent"/> due when its first segment arrives, so a connection costs one
/// entry in the network's schedule however many segments it has in flight. Consecutive segments
/// that arrive at the same instant are merged (a receiver could not tell them apart).
/// </remarks>
internal sealed class Flow(SimNetwork network, SimStreamSocket sender, SimStreamSocket receiver) : INetworkEvent
{
    private readonly ByteBuffer _bytes = new();
    private InFlightSegment[] _segments = new InFlightSegment[8];
    private int _head;
    private int _count;
    private long _lastArrivalNs;

    // The buffer holds the bytes delivered and not yet read (the receiver reads them from here),
    // then the bytes in flight.
    private int _unread;

    public SimStreamSocket Sender { get; } = sender;

    public SimStreamSocket Receiver { get; } = receiver;

    /// <summary>Data bytes sent and not yet delivered.</summary>
    public int InFlight => _bytes.Length - _unread;

    /// <summary>Data bytes delivered that the receiver has not read.</summary>
    public int Unread => _unread;

    /// <summary>What counts against the receiver's window: bytes in flight or unread.</summary>
    public int Held => _bytes.Length;

    /// <summary>The receiver reads up to <paramref name="buffer"/>'s length of the unread bytes.</summary>
    public int Read(Span<byte> buffer)
    {
        var count = Math.Min(buffer.Length, _unread);
        _bytes.Span[..count].CopyTo(buffer);
        _bytes.Consume(count);
        _unread -= count;
        return count;
    }

    /// <summary>The receiver closed: what it never read is gone.</summary>
    public void DiscardUnread()
    {
        _bytes.Consume(_unread);
        _unread = 0;
    }

    /// <summary>Splits <paramref name="data"/> into segments of drawn sizes, each with a drawn latency, and sends them.</summary>
    /// <remarks>Each segment draws its size, then its latency; the segments that arrive at the same
    /// instant (a later one catching up with the one before) are joined here and queued once.</remarks>
    public void SendData(ReadOnlySpan<byte> data)
    {
        var nowNs = network.NowNs;
        var segments = 0;
        // The segment being joined: its arrival and its bytes so far (none yet).
        var pendingAtNs = 0L;
        var pendingLength = 0;
        for (var offset = 0; offset < data.Length; segments++)
        {
            var size = network.DrawChunkSize(data.Length - offset);
            var at = Math.Max(nowNs + network.DrawLatencyNs(), _lastArrivalNs);
            _lastArrivalNs = at;
            offset += size;
            if (pendingLength > 0 && at == pendingAtNs)
            {
                pendingLength += size;
                continue;
            }
            if (pendingLength > 0)
                Enqueue(pendingAtNs, SegmentKind.Data, pendingLength);
            pendingAtNs = at;
            pendingLength = size;
        }
        if (pendingLength > 0)
            Enqueue(pendingAtNs, SegmentKind.Data, pendingLength);
        _bytes.Append(data);
        if (network.TraceSegments)
            network.Record(Sender.Host, Sender.IsUnix ? "unix.send" : "tcp.send", Sender.OutboundLabel, data.Length, SegmentsSuffix(segments));
    }

    // " bytes in 3 segments" for the usual counts, made once.
    private static readonly string[] s_segmentsSuffixes = Enumerable.Range(0, 64).Select(FormatSegmentsSuffix).ToArray();

    private static string SegmentsSuffix(int segments) => segments < s_segmentsSuffixes.Length ? s_segmentsSuffixes[segments] : FormatSegmentsSuffix(segments);

    private static string FormatSegmentsSuffix(int segments) => string.Create(System.Globalization.CultureInfo.InvariantCulture, $" bytes in {segments} segments");

    /// <summary>Sends a control segment (SYN-ACK, FIN, RST) behind the data already sent.</summary>
    public void SendControl(SegmentKind kind)
    {
        var at = Math.Max(network.NowNs + network.DrawLatencyNs(), _lastArrivalNs);
        _lastArrivalNs = at;
        Enqueue(at, kind, 0);
    }

    /// <summary>Queues a segment arriving at <paramref name="at"/> (never before the last one queued),
    /// joined to the last one when both carry data and arrive together.</summary>
    private void Enqueue(long at, SegmentKind kind, int length)
    {
        if (_count > 0 && kind == SegmentKind.Data)
        {
            ref var last = ref _segments[(_head + _count - 1) & (_segments.Length - 1)];
            if (last.Kind == SegmentKind.Data && last.ArrivalNs == at)
            {
                last = new InFlightSegment(at, SegmentKind.Data, last.Length + length);
                return;
            }
        }
        if (_count == _segments.Length)
            Grow();
        _segments[(_head + _count) & (_segments.Length - 1)] = new InFlightSegment(at, kind, length);
        _count++;
        if (_count == 1)
            network.Schedule(at, this);
    }

    private void Grow()
    {
        var larger = new InFlightSegment[_segments.Length * 2];
        for (var i = 0; i < _count; i++)
            larger[i] = _segments[(_head + i) & (_segments.Length - 1)];
        _segments = larger;
        _head = 0;
    }

    /// <summary>Delivers every segment due by <paramref name="nowNs"/>; the next one's arrival
    /// time is when the flow is due again.</summary>
    long INetworkEvent.Deliver(long nowNs)
    {
        if (network.HasLinkFaults && network.IsBlocked(Sender.Host, Receiver.Host, out var untilNs))
        {
            if (untilNs != long.MaxValue)
                return untilNs; // clogged: everything waits for the clog's end
            // Partitioned: held until a repair reschedules the flow.
            network.Hold(this);
            network.Record(Sender.Host, Sender.IsUnix ? "unix.held" : "tcp.held", $"{Sender.OutboundLabel}: {SimNetwork.Bytes(InFlight)} wait at a partitioned link");
            return INetworkEvent.Done;
        }
        while (_count > 0)
        {
            var segment = _segments[_head];
            if (segment.ArrivalNs > nowNs)
                return segment.ArrivalNs;
            _head = (_head + 1) & (_segments.Length - 1);
            _count--;
            Deliver(segment);
        }
        return INetworkEvent.Done;
    }

    private void Deliver(in InFlightSegment segment)
    {
        switch (segment.Kind)
        {
            case SegmentKind.Data:
                Debug.Assert(_unread + segment.Length <= _bytes.Length, "more bytes delivered than sent");
                _unread += segment.Length;
                if (!Receiver.OnData(segment.Length))
                    DiscardUnread();
                break;
            case SegmentKind.Fin:
                Receiver.OnFin();
                break;
            case SegmentKind.Rst:
                Receiver.OnReset();
                break;
            case SegmentKind.SynAck:
                Receiver.OnSynAck();
                break;
        }
    }

    /// <summary>A segment on its way: when it arrives, what it is, how many data bytes it carries.</summary>
    private readonly record struct InFlightSegment(long ArrivalNs, SegmentKind Kind, int Length);
}

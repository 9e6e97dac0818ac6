using System.Diagnostics;
using Sim.Core;

namespace Sim.Net;

/// <summary>
/// One direction of a connection: segments from <see cref="Sender"/> to <see cref="Receiver"/>,
/// each delivered by a loop timer at a drawn latency but never before the previous one, so bytes
/// arrive in order (as TCP delivers them), in drawn chunk sizes.
/// </summary>
internal sealed class Flow(SimNetwork network, SimStreamSocket sender, SimStreamSocket receiver)
{
    private static readonly Action<Segment> s_deliver = static segment => segment.Flow.Deliver(segment);

    private long _lastDeliveryNs;

    public SimStreamSocket Sender { get; } = sender;

    public SimStreamSocket Receiver { get; } = receiver;

    /// <summary>Data bytes sent and not yet delivered.</summary>
    public int InFlight { get; private set; }

    /// <summary>Splits <paramref name="data"/> into segments of drawn sizes and sends them.</summary>
    public void SendData(ReadOnlySpan<byte> data)
    {
        var segments = 0;
        for (var offset = 0; offset < data.Length; segments++)
        {
            var size = network.DrawChunkSize(data.Length - offset);
            InFlight += size;
            Schedule(new Segment(this, SegmentKind.Data, data.Slice(offset, size).ToArray()));
            offset += size;
        }
        if (network.Options.TraceSegments)
            network.Record(Sender.Host, Sender.IsUnix ? "unix.send" : "tcp.send", $"{SimNetwork.Format(Sender.LocalEndPoint)} -> {SimNetwork.Format(Sender.RemoteEndPoint)} {SimNetwork.Bytes(data.Length)} in {segments} segments");
    }

    /// <summary>Sends a control segment (SYN-ACK, FIN, RST) behind the data already sent.</summary>
    public void SendControl(SegmentKind kind) => Schedule(new Segment(this, kind, []));

    private void Schedule(Segment segment)
    {
        var loop = network.Loop;
        var at = Math.Max(loop.TimeNs() + network.DrawLatencyNs(), _lastDeliveryNs);
        _lastDeliveryNs = at;
        loop.CallAtNs(at, s_deliver, segment);
    }

    private void Deliver(Segment segment)
    {
        switch (segment.Kind)
        {
            case SegmentKind.Data:
                InFlight -= segment.Data.Length;
                Debug.Assert(InFlight >= 0, "more bytes delivered than sent");
                Receiver.OnData(segment.Data);
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
}

namespace Sim.Net;

/// <summary>What a segment carries.</summary>
internal enum SegmentKind
{
    /// <summary>The server's answer to a SYN: the client is connected.</summary>
    SynAck,
    Data,
    /// <summary>The sender shut its sending side.</summary>
    Fin,
    /// <summary>The sender reset the connection.</summary>
    Rst,
}

/// <summary>One segment on its way along a <see cref="Flow"/>, delivered by a loop timer.</summary>
internal sealed class Segment(Flow flow, SegmentKind kind, byte[] data)
{
    public Flow Flow { get; } = flow;

    public SegmentKind Kind { get; } = kind;

    public byte[] Data { get; } = data;
}

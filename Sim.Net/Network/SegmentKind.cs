namespace Sim.Net;

/// <summary>What a segment of a <see cref="Flow"/> carries.</summary>
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

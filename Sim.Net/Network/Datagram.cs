using System.Net;

namespace Sim.Net;

/// <summary>One datagram on its way, delivered whole by a loop timer (or an ICMP port
/// unreachable on its way back to <see cref="Sender"/>).</summary>
/// <param name="Sender">The socket that sent it.</param>
/// <param name="Source">Where it comes from (the sender's concrete address and port).</param>
/// <param name="Destination">Where it goes.</param>
/// <param name="Data">Its bytes.</param>
/// <param name="HoldsSendBuffer">True for the copy that counts against the sender's send buffer
/// until it arrives (a duplicate made by the network does not).</param>
internal sealed record Datagram(SimDatagramSocket Sender, IPEndPoint Source, IPEndPoint Destination, byte[] Data, bool HoldsSendBuffer);

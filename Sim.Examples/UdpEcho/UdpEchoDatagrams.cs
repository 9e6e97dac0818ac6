using System.Buffers.Binary;

namespace Sim.Examples.UdpEcho;

/// <summary>
/// The UDP echo protocol's datagrams: a 4-byte big-endian sequence number, then a payload whose
/// bytes are a function of the client, the sequence number and their place. A reply is the
/// request, echoed.
/// </summary>
internal static class UdpEchoDatagrams
{
    public const int HeaderSize = 4;

    /// <summary>The longest payload (bytes). 512: small requests, as a DNS- or RPC-like protocol sends.</summary>
    public const int PayloadSizeMax = 512;

    /// <summary>Request <paramref name="sequence"/> of client <paramref name="client"/>.</summary>
    public static byte[] Request(int client, int sequence, int payloadLength)
    {
        var datagram = new byte[HeaderSize + payloadLength];
        BinaryPrimitives.WriteInt32BigEndian(datagram, sequence);
        for (var i = 0; i < payloadLength; i++)
            datagram[HeaderSize + i] = unchecked((byte)(client * 64 + sequence * 7 + i * 31));
        return datagram;
    }

    /// <summary>The sequence number of <paramref name="datagram"/>, or null when it is too short to have one.</summary>
    public static int? SequenceOf(ReadOnlySpan<byte> datagram) =>
        datagram.Length < HeaderSize ? null : BinaryPrimitives.ReadInt32BigEndian(datagram);
}

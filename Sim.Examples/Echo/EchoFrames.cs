using System.Buffers.Binary;

namespace Sim.Examples.Echo;

/// <summary>
/// The echo protocol's messages: a 4-byte big-endian length, then that many payload bytes. A
/// payload's bytes are a function of who sent it, which message it is and where each byte sits,
/// so a byte lost, duplicated or moved is a byte that differs from what was expected.
/// </summary>
internal static class EchoFrames
{
    public const int HeaderSize = 4;

    /// <summary>
    /// The longest payload (bytes). 8 KiB: five or six segments of an Ethernet-sized chunk, so
    /// most messages arrive split, some in one piece.
    /// </summary>
    public const int PayloadSizeMax = 8 * 1024;

    /// <summary>Message <paramref name="message"/> of client <paramref name="client"/>: header and payload.</summary>
    public static byte[] Frame(int client, int message, int length)
    {
        var frame = new byte[HeaderSize + length];
        BinaryPrimitives.WriteInt32BigEndian(frame, length);
        for (var i = 0; i < length; i++)
            frame[HeaderSize + i] = PayloadByte(client, message, i);
        return frame;
    }

    /// <summary>The payload length a header announces.</summary>
    /// <exception cref="InvalidDataException">It is outside [1, <see cref="PayloadSizeMax"/>]:
    /// the stream is out of step with its frames.</exception>
    public static int Length(ReadOnlySpan<byte> header)
    {
        var length = BinaryPrimitives.ReadInt32BigEndian(header);
        if (length is < 1 or > PayloadSizeMax)
            throw new InvalidDataException($"a header announces {length} bytes, not 1 to {PayloadSizeMax}: the stream is out of step with its frames");
        return length;
    }

    /// <summary>
    /// The index of the first payload byte that is not what client <paramref name="client"/> sent
    /// as message <paramref name="message"/>, or -1 when all of them are.
    /// </summary>
    public static int FirstMismatch(int client, int message, ReadOnlySpan<byte> payload)
    {
        for (var i = 0; i < payload.Length; i++)
        {
            if (payload[i] != PayloadByte(client, message, i))
                return i;
        }
        return -1;
    }

    // Neighbouring bytes always differ (a step of 31), and the (i >> 8) term keeps the pattern
    // from repeating every 256 bytes, so a byte dropped or repeated anywhere shows.
    private static byte PayloadByte(int client, int message, int index) =>
        unchecked((byte)(client * 64 + message * 7 + index * 31 + (index >> 8)));
}

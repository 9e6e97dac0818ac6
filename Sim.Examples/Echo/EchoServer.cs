using System.Globalization;
using Sim.Core;
using Sim.Net;
using StreamReader = Sim.Core.StreamReader;
using StreamWriter = Sim.Core.StreamWriter;

namespace Sim.Examples.Echo;

/// <summary>
/// A message echo server over streams: reads one frame of <see cref="EchoFrames"/> at a time,
/// writes it back whole, and when the client half-closes (EOF before a header) closes its side.
/// Each connection is served by its own task (as <see cref="Asyncio.StartServer"/> does).
/// </summary>
/// <remarks>
/// With <c>readsWholePayloads: false</c> (the planted bug) the server reads a payload with
/// <see cref="StreamReader.Read"/>, which returns what is buffered, up to the count, instead of
/// <see cref="StreamReader.ReadExactly"/>: right whenever the payload arrived in one piece, wrong
/// as soon as the network splits it — a short echo, then a stream out of step with its frames.
/// </remarks>
internal sealed class EchoServer(SimulationTrace trace, bool readsWholePayloads)
{
    private const string Host = "echo.sim";

    private readonly List<Connection> _connections = [];

    /// <summary>What the server saw on each connection, in the order they were accepted.</summary>
    public IReadOnlyList<Connection> Connections => _connections;

    /// <summary>Serves one connection until the client half-closes, then closes it.</summary>
    public async Coroutine Serve(StreamReader reader, StreamWriter writer)
    {
        ArgumentNullException.ThrowIfNull(reader);
        ArgumentNullException.ThrowIfNull(writer);
        var connection = new Connection(_connections.Count);
        _connections.Add(connection);
        while (await ReadHeader(reader) is { } header)
        {
            var length = EchoFrames.Length(header);
            var payload = readsWholePayloads ? await reader.ReadExactly(length) : await reader.Read(length);
            writer.Write(header);
            if (Buggify.On())
            {
                // Now and then in simulation only: the header goes out alone and the payload a
                // little later, so clients meet a frame split across writes.
                await writer.Drain();
                await Asyncio.Sleep(0.001);
            }
            writer.Write(payload);
            await writer.Drain();
            connection.Messages++;
            connection.Bytes += payload.Length;
        }
        connection.SawEof = true;
        trace.Record(Host, "echo.eof", string.Create(CultureInfo.InvariantCulture,
            $"connection {connection.Index}: {connection.Messages} messages, {connection.Bytes} bytes echoed"));
        writer.Close();
        await writer.WaitClosed();
    }

    /// <summary>The next header, or null at the client's EOF between frames.</summary>
    /// <exception cref="IncompleteReadException">The stream ended inside a header.</exception>
    private static async Coroutine<byte[]?> ReadHeader(StreamReader reader)
    {
        try
        {
            return await reader.ReadExactly(EchoFrames.HeaderSize);
        }
        catch (IncompleteReadException incomplete) when (incomplete.Partial.Length == 0)
        {
            return null;
        }
    }

    /// <summary>One connection as the server saw it.</summary>
    public sealed class Connection(int index)
    {
        public int Index { get; } = index;

        public int Messages { get; set; }

        public long Bytes { get; set; }

        /// <summary>The client half-closed between two frames and the server closed in turn.</summary>
        public bool SawEof { get; set; }
    }
}

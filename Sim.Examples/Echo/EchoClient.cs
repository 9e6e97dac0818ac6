using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Sim.Core;
using Sim.Net;
using StreamReader = Sim.Core.StreamReader;
using StreamWriter = Sim.Core.StreamWriter;

namespace Sim.Examples.Echo;

/// <summary>
/// One client of <see cref="EchoServer"/>: a task sends its messages (seeded sizes, seeded pauses)
/// and then half-closes with <see cref="StreamWriter.WriteEof"/>, while the client reads the
/// echoes, checks each is the message sent, byte for byte and in order, and finally that the
/// server closed its side after the last one.
/// </summary>
internal sealed class EchoClient(Simulation simulation, int id, IReadOnlyList<int> sizes)
{
    // Pause before each message, in seconds of virtual time: about the network's latency, so
    // several messages are in flight at once on some seeds and none on others.
    private const double SendPauseMax = 0.002;

    private long _sent;
    private long _received;

    /// <summary>Echo bytes still on their way back when this client half-closed.</summary>
    public long InFlightAtEof { get; private set; }

    public string HostName => string.Create(CultureInfo.InvariantCulture, $"client{id}.sim");

    /// <summary>Connects from <paramref name="localAddress"/>, exchanges every message, and closes.</summary>
    public async Coroutine Run(string host, int port, IPEndPoint localAddress)
    {
        var (reader, writer) = await Asyncio.OpenConnection(host, port, localAddress: localAddress);
        var sending = simulation.Loop.CreateTask(Send(writer), $"client-{id}-send");
        for (var message = 0; message < sizes.Count; message++)
            await ReadEcho(reader, message);
        await sending;
        // Read() reads to EOF: the server closes its side once it has seen this client's.
        if ((await reader.Read()).Length != 0)
            throw Broken("bytes came back after the last echo");
        writer.Close();
        await writer.WaitClosed();
    }

    private async Coroutine Send(StreamWriter writer)
    {
        for (var message = 0; message < sizes.Count; message++)
        {
            await Asyncio.Sleep(simulation.Choices.NextDouble() * SendPauseMax);
            var frame = EchoFrames.Frame(id, message, sizes[message]);
            writer.Write(frame);
            _sent += frame.Length;
            await writer.Drain();
        }
        // Half-close: the server sees EOF, while echoes still on their way keep coming back.
        InFlightAtEof = _sent - _received;
        writer.WriteEof();
        simulation.Trace.Record(HostName, "echo.half-close", string.Create(CultureInfo.InvariantCulture,
            $"{_sent} bytes sent, {InFlightAtEof} still to come back"));
    }

    private async Coroutine ReadEcho(StreamReader reader, int message)
    {
        byte[] header;
        byte[] payload;
        try
        {
            header = await reader.ReadExactly(EchoFrames.HeaderSize);
            var length = EchoFrames.Length(header);
            if (length != sizes[message])
                throw Broken($"message {message} came back as {length} bytes, {sizes[message]} were sent");
            payload = await reader.ReadExactly(length);
        }
        catch (IncompleteReadException incomplete)
        {
            throw Broken($"the echo stream ended inside message {message} of {sizes.Count} ({incomplete.Partial.Length} bytes of a read of {incomplete.Expected})");
        }
        catch (InvalidDataException outOfStep)
        {
            throw Broken($"at message {message}, {outOfStep.Message}");
        }
        catch (SocketException failed)
        {
            // The server gave up on the connection: closing it with bytes unread resets it.
            throw Broken($"the connection failed at message {message} of {sizes.Count}: {failed.Message}");
        }
        if (EchoFrames.FirstMismatch(id, message, payload) is var at and >= 0)
            throw Broken($"byte {at} of message {message} came back changed (the echo lost, repeated or moved bytes)");
        _received += header.Length + payload.Length;
        simulation.Trace.Record(HostName, "echo.message", string.Create(CultureInfo.InvariantCulture, $"{message}: {payload.Length} bytes intact"));
    }

    private InvalidOperationException Broken(string what) => new($"client {id}: {what}");
}

using System.Globalization;
using System.Net;
using System.Text;
using Sim.Core;
using StreamReader = Sim.Core.StreamReader;
using StreamWriter = Sim.Core.StreamWriter;

namespace Sim.Examples.KeyValue;

/// <summary>A client of <see cref="KeyValueServer"/>: one request at a time, each waiting for its reply.</summary>
internal sealed class KeyValueClient(StreamReader reader, StreamWriter writer)
{
    public static async Coroutine<KeyValueClient> Connect(string host, int port, IPEndPoint localAddress)
    {
        var (reader, writer) = await Asyncio.OpenConnection(host, port, localAddress: localAddress);
        return new KeyValueClient(reader, writer);
    }

    public async Coroutine Set(string key, string value)
    {
        var reply = await Request($"SET {key} {value}");
        if (reply != "OK")
            throw new InvalidOperationException($"SET {key}: the server replied '{reply}'");
    }

    public async Coroutine<string?> Get(string key)
    {
        var reply = await Request($"GET {key}");
        return reply == "NIL" ? null : Value(reply, "GET", key);
    }

    public async Coroutine<long> Increment(string key) =>
        long.Parse(Value(await Request($"INCR {key}"), "INCR", key), CultureInfo.InvariantCulture);

    /// <summary>Closes this side; the server sees EOF and closes its own.</summary>
    public async Coroutine Close()
    {
        writer.Close();
        await writer.WaitClosed();
    }

    private async Coroutine<string> Request(string command)
    {
        writer.Write(Encoding.ASCII.GetBytes(command + "\n"));
        await writer.Drain();
        var line = await reader.ReadLine();
        if (line.Length == 0 || line[^1] != (byte)'\n')
            throw new InvalidOperationException($"{command}: the server closed the connection before replying");
        return Encoding.ASCII.GetString(line).TrimEnd('\n');
    }

    private static string Value(string reply, string command, string key) =>
        reply.StartsWith("VALUE ", StringComparison.Ordinal)
            ? reply["VALUE ".Length..]
            : throw new InvalidOperationException($"{command} {key}: the server replied '{reply}'");
}

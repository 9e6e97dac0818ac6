using System.Globalization;
using System.Text;
using Sim.Core;
using Sim.Net;
using StreamReader = Sim.Core.StreamReader;
using StreamWriter = Sim.Core.StreamWriter;

namespace Sim.Examples.KeyValue;

/// <summary>
/// A key-value server over streams, one command a line and one reply a line:
/// <c>SET key value</c> → <c>OK</c>; <c>GET key</c> → <c>VALUE v</c> or <c>NIL</c>;
/// <c>INCR key</c> → <c>VALUE n</c>, the new count; anything else → <c>ERR ...</c>.
/// Each connection is served by its own task (as <see cref="Asyncio.StartServer"/> does).
/// </summary>
/// <remarks>
/// Changes are write-ahead: the new value is computed from what the store holds, appended to a
/// journal whose sync takes virtual time, and only then applied and acknowledged. While one
/// connection's task waits for the journal, other connections' commands run. With
/// <c>lockMutations</c> a lock makes compute-sync-apply one step; without it (the planted bug) an
/// INCR from another connection that arrives during the sync reads the same old count, and one
/// of the two increments is lost. Only that interleaving of deliveries shows it: the second INCR
/// has to reach the server within <see cref="JournalSyncSeconds"/> of the first.
/// </remarks>
internal sealed class KeyValueServer(SimulationTrace trace, bool lockMutations)
{
    /// <summary>
    /// How long a journal append takes to become durable (seconds). 50 µs, a fast NVMe fsync:
    /// short against the network's 50 µs–2 ms latencies, so two clients' INCRs meet inside the
    /// window on a few runs in a hundred — rare enough that the bug needs a search to find.
    /// </summary>
    public const double JournalSyncSeconds = 0.000_05;

    private const string Host = "kv.sim";

    private readonly SortedDictionary<string, string> _store = new(StringComparer.Ordinal);
    private readonly LoopLock _mutations = new();

    /// <summary>Serves one connection until the client closes its side.</summary>
    public async Coroutine Serve(StreamReader reader, StreamWriter writer)
    {
        ArgumentNullException.ThrowIfNull(reader);
        ArgumentNullException.ThrowIfNull(writer);
        while (await reader.ReadLine() is { Length: > 0 } line)
        {
            var reply = await Execute(Encoding.ASCII.GetString(line).TrimEnd('\n'));
            writer.Write(Encoding.ASCII.GetBytes(reply + "\n"));
            await writer.Drain();
        }
        writer.Close();
        await writer.WaitClosed();
    }

    private async Coroutine<string> Execute(string command)
    {
        var words = command.Split(' ');
        switch (words)
        {
            case ["SET", var key, var value]:
                await Mutate(key, _ => value);
                return "OK";
            case ["GET", var key]:
                return _store.TryGetValue(key, out var stored) ? $"VALUE {stored}" : "NIL";
            case ["INCR", var key]:
                if (_store.TryGetValue(key, out var count) && !long.TryParse(count, NumberStyles.None, CultureInfo.InvariantCulture, out _))
                    return $"ERR {key} does not hold a count";
                return $"VALUE {await Mutate(key, Increment)}";
            default:
                return $"ERR unknown command '{command}'";
        }
    }

    private static string Increment(string? count) =>
        (count is null ? 1 : long.Parse(count, CultureInfo.InvariantCulture) + 1).ToString(CultureInfo.InvariantCulture);

    private async Coroutine<string> Mutate(string key, Func<string?, string> change)
    {
        if (!lockMutations)
            return await WriteAhead(key, change);
        using (await _mutations.Hold())
            return await WriteAhead(key, change);
    }

    /// <summary>Compute, make durable, apply: two of these interleaved at the journal's await
    /// compute from the same old value.</summary>
    private async Coroutine<string> WriteAhead(string key, Func<string?, string> change)
    {
        var next = change(_store.GetValueOrDefault(key));
        trace.Record(Host, "kv.journal", $"{key} = {next}");
        await Asyncio.Sleep(JournalSyncSeconds);
        _store[key] = next;
        trace.Record(Host, "kv.apply", $"{key} = {next}");
        return next;
    }
}

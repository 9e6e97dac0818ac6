using System.Text;
using Sim.Core;

namespace Sim.Tests.Conformance;

/// <summary>What the conformance suites and the backend tests share: test data and the ways they
/// wait and expect errors. Imported with <c>using static</c>.</summary>
internal static class ConformanceHelpers
{
    /// <summary>Deterministic, position-dependent bytes: any loss, duplication or reordering shows.</summary>
    public static byte[] Pattern(int length, int seed = 0)
    {
        var data = new byte[length];
        for (var i = 0; i < length; i++)
            data[i] = (byte)((i * 31 + seed * 7 + (i >> 8)) & 0xFF);
        return data;
    }

    /// <summary><paramref name="text"/> as ASCII bytes.</summary>
    public static byte[] Ascii(string text) => Encoding.ASCII.GetBytes(text);

    /// <summary>The exception <paramref name="operation"/> raises (the test fails if it returns).</summary>
    public static async Coroutine<Exception> Raises<T>(Coroutine<T> operation)
    {
        try
        {
            var result = await operation;
            Assert.Fail($"expected an exception, got {result}");
            return null!;
        }
        catch (Exception error) when (error is not Xunit.Sdk.XunitException)
        {
            return error;
        }
    }

    /// <summary>The exception <paramref name="future"/> ends with (the test fails if it returns).</summary>
    public static async Coroutine<Exception> Raises<T>(Future<T> future)
    {
        try
        {
            var result = await future;
            Assert.Fail($"expected an exception, got {result}");
            return null!;
        }
        catch (Exception error) when (error is not Xunit.Sdk.XunitException)
        {
            return error;
        }
    }

    /// <summary>
    /// A <c>Read(n)</c> echo on <paramref name="host"/>: the server's handler reads with
    /// <paramref name="readCount"/>(turn) bytes at most and writes each read back; the client sends
    /// each message and waits for its echo, then ends the stream. Asserts every message came back,
    /// the reads together hold exactly the bytes sent, in order, and each read is an array of its
    /// own that nothing wrote again; returns the reads.
    /// </summary>
    public static async Coroutine<List<byte[]>> ReadEcho(string host, IReadOnlyList<byte[]> messages, Func<int, int> readCount)
    {
        var reads = new List<byte[]>();
        var server = await Asyncio.StartServer(async (reader, writer) =>
        {
            for (var turn = 0; ; turn++)
            {
                var data = await reader.Read(readCount(turn));
                if (data.Length == 0)
                    break;
                reads.Add(data);
                writer.Write(data);
                await writer.Drain();
            }
            writer.Close();
        }, host, 0);
        var (clientReader, clientWriter) = await Asyncio.OpenConnection(host, ((System.Net.IPEndPoint)server.Sockets[0]).Port);
        foreach (var message in messages)
        {
            clientWriter.Write(message);
            Assert.Equal(message, await clientReader.ReadExactly(message.Length));
        }
        clientWriter.WriteEof();
        Assert.Empty(await clientReader.Read(100));
        Assert.Equal(messages.SelectMany(message => message), reads.SelectMany(read => read));
        Assert.Equal(reads.Count, reads.Distinct(ReferenceEqualityComparer.Instance).Count());
        clientWriter.Close();
        await clientWriter.WaitClosed();
        server.Close();
        await server.WaitClosed();
        return reads;
    }

    /// <summary>Waits (yielding) until <paramref name="condition"/> holds.</summary>
    public static async Coroutine Until(Func<bool> condition, double step = 0.001)
    {
        while (!condition())
            await Asyncio.Sleep(step);
    }
}

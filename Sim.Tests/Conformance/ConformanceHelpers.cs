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

    /// <summary>Waits (yielding) until <paramref name="condition"/> holds.</summary>
    public static async Coroutine Until(Func<bool> condition, double step = 0.001)
    {
        while (!condition())
            await Asyncio.Sleep(step);
    }
}

using Sim.Core;

namespace Sim.Tests.Golden;

/// <summary>
/// C# twins of the composition scenarios (Scenarios/comp_*): gather, wait, wait_for,
/// as_completed, shield, timeout scopes, TaskGroup, ensure_future, run_coroutine_threadsafe,
/// wrap_future and to_thread. Split by concern into partial files; this one holds what they share.
/// </summary>
internal static partial class CompositionScenarios
{
    private sealed class Boom(string message) : Exception(message);

    /// <summary>Printed as is, also inside a list (where strings would be quoted).</summary>
    private sealed record Raw(string Text)
    {
        public override string ToString() => Text;
    }

    /// <summary>The exception's Python name: .NET's TimeoutException is Python's builtin TimeoutError.</summary>
    private static string Name(Exception exception) => exception switch
    {
        TimeoutException => "TimeoutError",
        _ => GoldenContext.PythonName(exception),
    };

    /// <summary>Python's <c>e.args</c> of a CancelledError: <c>()</c> or <c>('message',)</c>.</summary>
    private static Raw Args(CancelledError error) => new(error.CancelMessage is null ? "()" : $"('{error.CancelMessage}',)");

    /// <summary>A Python tuple of plain values, e.g. <c>(True, False)</c>.</summary>
    private static Raw Tuple(params object?[] values) => new($"({string.Join(", ", values.Select(GoldenContext.Repr))})");

    /// <summary>Python's <c>sorted(...)</c> of strings, printed as a list.</summary>
    private static List<string> Sorted(IEnumerable<string> values) => [.. values.Order(StringComparer.Ordinal)];

    /// <summary>Python's <c>sorted(f.get_name() for f in futures)</c>.</summary>
    private static List<string> Names<TFuture>(IEnumerable<TFuture> futures)
        where TFuture : ILoopTask => Sorted(futures.Select(f => f.Name));
}

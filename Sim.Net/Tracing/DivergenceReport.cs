using System.Globalization;
using System.Text;

namespace Sim.Net;

/// <summary>
/// What two runs that should be identical (the same seed, or a run and its replay) have in
/// common and where they part: the first divergent trace event with the events leading to it,
/// the first divergent choice, and how each run ended. <see cref="ToString"/> is the readable report.
/// </summary>
public sealed class DivergenceReport
{
    /// <summary>Common events shown before the divergent one: enough to see what led to it.</summary>
    private const int ContextEventsMax = 5;

    private DivergenceReport()
    {
    }

    /// <summary>The seed both runs used, when known.</summary>
    public long? Seed { get; private init; }

    /// <summary>True when the runs differ in any way: trace, choices or outcome.</summary>
    public bool Diverged { get; private init; }

    /// <summary>The trace hashes of the first and second run.</summary>
    public (string First, string Second) Hashes { get; private init; }

    /// <summary>How many events each run recorded (kept or not).</summary>
    public (long First, long Second) EventCounts { get; private init; }

    /// <summary>The index of the first differing trace event among the kept ones, or null.</summary>
    public int? EventIndex { get; private init; }

    /// <summary>The differing events at <see cref="EventIndex"/> (null where a run has no event there).</summary>
    public (TraceEvent? First, TraceEvent? Second) Events { get; private init; }

    /// <summary>Up to five events both runs share just before <see cref="EventIndex"/>.</summary>
    public IReadOnlyList<TraceEvent> Context { get; private init; } = [];

    /// <summary>The first step where the choice logs differ, or null (also when no logs were given).</summary>
    public int? ChoiceStep { get; private init; }

    private (ChoiceLog? First, ChoiceLog? Second) Choices { get; init; }

    /// <summary>How each run ended ("completed", or the exception), when given.</summary>
    public (string? First, string? Second) Outcomes { get; private init; }

    /// <summary>Compares two runs by their traces, and by their choice logs and outcomes when given.</summary>
    public static DivergenceReport Compare(
        SimulationTrace first,
        SimulationTrace second,
        ChoiceLog? firstChoices = null,
        ChoiceLog? secondChoices = null,
        string? firstOutcome = null,
        string? secondOutcome = null,
        long? seed = null)
    {
        ArgumentNullException.ThrowIfNull(first);
        ArgumentNullException.ThrowIfNull(second);
        var index = SimulationTrace.FirstDivergence(first, second);
        var choiceStep = firstChoices is not null && secondChoices is not null ? ChoiceLog.FirstDifference(firstChoices, secondChoices) : null;
        return new DivergenceReport
        {
            Seed = seed,
            Diverged = index is not null || first.Hash != second.Hash || choiceStep is not null || firstOutcome != secondOutcome,
            Hashes = (first.Hash, second.Hash),
            EventCounts = (first.Count, second.Count),
            EventIndex = index,
            Events = index is { } i ? (EventAt(first, i), EventAt(second, i)) : (null, null),
            Context = index is { } at ? first.Events.Skip(Math.Max(0, at - ContextEventsMax)).Take(Math.Min(at, ContextEventsMax)).ToList() : [],
            ChoiceStep = choiceStep,
            Choices = (firstChoices, secondChoices),
            Outcomes = (firstOutcome, secondOutcome),
        };
    }

    private static TraceEvent? EventAt(SimulationTrace trace, int index) => index < trace.Events.Count ? trace.Events[index] : null;

    /// <summary>The report: one line when the runs agree, the divergence and what led to it otherwise.</summary>
    public override string ToString()
    {
        var runs = Seed is { } seed ? string.Create(CultureInfo.InvariantCulture, $"two runs of seed {seed}") : "two runs";
        if (!Diverged)
            return string.Create(CultureInfo.InvariantCulture,
                $"Deterministic: {runs} recorded the same {EventCounts.First} events (trace hash {Hashes.First}){DescribeSameChoices()}.");
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"Nondeterminism: {runs} diverged");
        text.Append(EventIndex is { } index
            ? string.Create(CultureInfo.InvariantCulture, $" at event {index}")
            : " beyond the events kept");
        text.AppendLine(CultureInfo.InvariantCulture,
            $" ({EventCounts.First} and {EventCounts.Second} events; trace hashes {Hashes.First} and {Hashes.Second}).");
        if (EventIndex is { } at)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"  event {at}, first run : {Events.First?.ToString() ?? "(none: the trace ended)"}");
            text.AppendLine(CultureInfo.InvariantCulture, $"  event {at}, second run: {Events.Second?.ToString() ?? "(none: the trace ended)"}");
            if (Context.Count > 0)
            {
                text.AppendLine(CultureInfo.InvariantCulture, $"  the {Context.Count} event(s) before it, the same in both runs:");
                for (var i = 0; i < Context.Count; i++)
                    text.AppendLine(CultureInfo.InvariantCulture, $"    event {at - Context.Count + i}: {Context[i]}");
            }
        }
        AppendChoices(text);
        if (Outcomes.First != Outcomes.Second)
            text.AppendLine(CultureInfo.InvariantCulture, $"  outcomes: first run {Outcomes.First ?? "(unknown)"}; second run {Outcomes.Second ?? "(unknown)"}");
        return text.ToString().TrimEnd();
    }

    private string DescribeSameChoices() =>
        Choices.First is { } log && ChoiceStep is null ? string.Create(CultureInfo.InvariantCulture, $" and drew the same {log.Count} choices") : "";

    private void AppendChoices(StringBuilder text)
    {
        if (Choices is not ({ } first, { } second))
            return;
        if (ChoiceStep is not { } step)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"  choices: the same {first.Count} in both runs, so the difference is not in the choices (a hidden input?)");
            return;
        }
        static string At(ChoiceLog log, int step) => step < log.Count ? $"'{log[step]}'" : "(none: the log ended)";
        text.AppendLine(CultureInfo.InvariantCulture, $"  choices: the first {step} agree; step {step} is {At(first, step)} in the first run and {At(second, step)} in the second");
    }
}

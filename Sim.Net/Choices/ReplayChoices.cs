namespace Sim.Net;

/// <summary>
/// Answers every question with the next choice of a recorded <see cref="ChoiceLog"/>, checking the
/// question is the one that was recorded (same kind, same bound): the replayed run is then the
/// recorded run, event for event. A different question throws
/// <see cref="ReplayDivergenceException"/> naming the step.
/// </summary>
public sealed class ReplayChoices : IChoiceSource
{
    private readonly ChoiceLog _log;

    /// <summary>Replays <paramref name="log"/> from its first choice.</summary>
    /// <exception cref="ArgumentException">The log was truncated while recording, so it cannot replay a whole run.</exception>
    public ReplayChoices(ChoiceLog log)
    {
        ArgumentNullException.ThrowIfNull(log);
        if (log.Truncated)
            throw new ArgumentException(
                $"this log stopped recording after {log.Count} choices (its KeptMax), so it cannot replay a whole run; record with a larger SimulationOptions.ChoicesKeptMax",
                nameof(log));
        _log = log;
    }

    /// <summary>The log being replayed.</summary>
    public ChoiceLog Log => _log;

    /// <summary>How many choices have been replayed: the next step.</summary>
    public int Position { get; private set; }

    /// <summary>Recorded choices not yet asked for.</summary>
    public int Remaining => _log.Count - Position;

    /// <inheritdoc/>
    public int NextInt(int maxExclusive)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxExclusive);
        return Next(ChoiceKind.Int, maxExclusive).IntValue;
    }

    /// <inheritdoc/>
    public double NextDouble() => Next(ChoiceKind.Double, 1).Value;

    /// <inheritdoc/>
    public bool NextBool(double probability = 0.5)
    {
        if (double.IsNaN(probability) || probability < 0 || probability > 1)
            throw new ArgumentOutOfRangeException(nameof(probability), probability, "A probability lies in [0, 1].");
        return Next(ChoiceKind.Bool, probability).BoolValue;
    }

    /// <summary>Checks the replay asked for every recorded choice: a run that stops early diverged too.</summary>
    /// <exception cref="ReplayDivergenceException">Choices are left over.</exception>
    public void ThrowIfNotFinished()
    {
        if (Remaining == 0)
            return;
        throw new ReplayDivergenceException(Position, _log[Position], "nothing more",
            $"Replay diverged at step {Position}: the run finished, but the log recorded {Remaining} more choice(s), starting with '{_log[Position]}'. " +
            "The program is not a pure function of its choices, or the log belongs to another program or version.");
    }

    private Choice Next(ChoiceKind kind, double bound)
    {
        var step = Position;
        var asked = Choice.DescribeQuestion(kind, bound);
        if (step >= _log.Count)
        {
            throw new ReplayDivergenceException(step, null, asked,
                $"Replay diverged at step {step}: the program asked for {asked}, but the log ends after {_log.Count} choice(s). " +
                "The program is not a pure function of its choices, or the log belongs to another program or version.");
        }
        var recorded = _log[step];
        if (!recorded.Answers(kind, bound))
        {
            throw new ReplayDivergenceException(step, recorded, asked,
                $"Replay diverged at step {step}: the program asked for {asked}, but the log recorded {Choice.DescribeQuestion(recorded.Kind, recorded.Bound)} ('{recorded}'). " +
                "The program is not a pure function of its choices, or the log belongs to another program or version.");
        }
        if (!recorded.IsWellFormed)
            throw new InvalidOperationException($"The log's step {step} ('{recorded}') is not a valid answer to its own question.");
        Position = step + 1;
        return recorded;
    }

    /// <inheritdoc/>
    public override string ToString() => $"<ReplayChoices step {Position} of {_log.Count}>";
}

using System.Globalization;
using System.Text;
using Sim.Net;

namespace Sim.Coyote;

/// <summary>
/// What an exploration found: whether an iteration failed, which, with what exception, and the
/// choices it drew, which <see cref="ReplayChoices"/> turns back into that very run.
/// </summary>
public sealed record ExplorationResult
{
    /// <summary>The strategy that explored.</summary>
    public required ExplorationStrategy Strategy { get; init; }

    /// <summary>Iterations run, the failing one included.</summary>
    public required int Iterations { get; init; }

    /// <summary>The 1-based number of the first failing iteration, or null when none failed.</summary>
    public int? FailingIteration { get; init; }

    /// <summary>The exception the failing iteration's scenario threw.</summary>
    public Exception? Failure { get; init; }

    /// <summary>The failing iteration's choices: replay them with <see cref="ReplayChoices"/>.</summary>
    public ChoiceLog? FailingChoices { get; init; }

    /// <summary>The failing iteration's trace hash, which its replay must reproduce.</summary>
    public string? FailingTraceHash { get; init; }

    /// <summary>Coyote's own account of the bug (its bug report), when it gave one.</summary>
    public string? CoyoteReport { get; init; }

    /// <summary>True when an iteration failed.</summary>
    public bool BugFound => FailingIteration is not null;

    /// <summary>The readable report: the verdict, the failure and the choices to replay.</summary>
    public override string ToString()
    {
        var strategy = Strategy.ToString().ToLowerInvariant();
        if (!BugFound)
            return string.Create(CultureInfo.InvariantCulture, $"coyote {strategy}: no failure in {Iterations} iterations");
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture,
            $"coyote {strategy}: iteration {FailingIteration} failed: {Failure?.GetType().Name}: {Failure?.Message}");
        text.AppendLine(CultureInfo.InvariantCulture,
            $"  trace hash {FailingTraceHash}; {FailingChoices?.Count} choices; replay them with new Simulation(0, options, new ReplayChoices(ChoiceLog.Parse(...))):");
        text.Append(FailingChoices?.ToText());
        return text.ToString().TrimEnd();
    }
}

namespace Sim.Net;

/// <summary>
/// A replayed run asked a different question than the recorded run at the same step: the
/// program is not a pure function of its choices (nondeterminism), or the log belongs to another
/// program or version. A programmer error: it is never caught by the simulation.
/// </summary>
public sealed class ReplayDivergenceException : Exception
{
    /// <summary>Creates the exception with its default message.</summary>
    public ReplayDivergenceException()
    {
    }

    /// <summary>Creates the exception with <paramref name="message"/>.</summary>
    public ReplayDivergenceException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with <paramref name="message"/> and the exception that caused it.</summary>
    public ReplayDivergenceException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    internal ReplayDivergenceException(int step, Choice? recorded, string asked, string message)
        : base(message)
    {
        Step = step;
        Recorded = recorded;
        Asked = asked;
    }

    /// <summary>The step (0-based index in the log) where the runs parted.</summary>
    public int Step { get; }

    /// <summary>The recorded choice at <see cref="Step"/>, or null when the log had run out.</summary>
    public Choice? Recorded { get; }

    /// <summary>What the replayed program asked for at <see cref="Step"/> (or "nothing more").</summary>
    public string Asked { get; } = "";
}

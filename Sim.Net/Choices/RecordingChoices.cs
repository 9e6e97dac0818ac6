namespace Sim.Net;

/// <summary>
/// Passes every question to the inner source and writes the answer to a <see cref="ChoiceLog"/>,
/// so any run, whatever its source, can be saved and replayed.
/// </summary>
internal sealed class RecordingChoices(IChoiceSource inner, ChoiceLog log) : IChoiceSource
{
    // The usual inner source, called directly: the network draws twice per segment.
    private readonly SeededChoices? _seeded = inner as SeededChoices;

    public IChoiceSource Inner => inner;

    public ChoiceLog Log => log;

    public int NextInt(int maxExclusive)
    {
        var value = _seeded is { } seeded ? seeded.NextInt(maxExclusive) : inner.NextInt(maxExclusive);
        log.Add(Choice.Int(maxExclusive, value));
        return value;
    }

    public double NextDouble()
    {
        var value = _seeded is { } seeded ? seeded.NextDouble() : inner.NextDouble();
        log.Add(Choice.Double(value));
        return value;
    }

    public bool NextBool(double probability = 0.5)
    {
        var value = inner.NextBool(probability);
        log.Add(Choice.Bool(probability, value));
        return value;
    }
}

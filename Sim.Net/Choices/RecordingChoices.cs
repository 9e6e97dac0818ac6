namespace Sim.Net;

/// <summary>
/// Passes every question to the inner source and writes the answer to a <see cref="ChoiceLog"/>,
/// so any run, whatever its source, can be saved and replayed.
/// </summary>
internal sealed class RecordingChoices(IChoiceSource inner, ChoiceLog log) : IChoiceSource
{
    public IChoiceSource Inner => inner;

    public ChoiceLog Log => log;

    public int NextInt(int maxExclusive)
    {
        var value = inner.NextInt(maxExclusive);
        log.Add(Choice.Int(maxExclusive, value));
        return value;
    }

    public double NextDouble()
    {
        var value = inner.NextDouble();
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

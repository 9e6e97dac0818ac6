using System.Collections;
using System.Globalization;

namespace Sim.Net;

/// <summary>
/// The choices a run drew, in order: enough to replay the run exactly with
/// <see cref="ReplayChoices"/>. Saved as text, one choice a line:
/// <code>
/// # SimLoop choice log: ...
/// seed 42
/// int 1000 83
/// double 1 0.7310585786300049
/// bool 0.5 true
/// </code>
/// Blank lines and lines starting with <c>#</c> are comments. <c>seed N</c> names the seed of the
/// recorded run (absent when the choices did not come from a seed, e.g. from Coyote); a final
/// <c>truncated</c> says recording stopped at <see cref="KeptMax"/>.
/// </summary>
public sealed class ChoiceLog : IReadOnlyList<Choice>
{
    private const string Header = "# SimLoop choice log: one choice a line, 'kind bound value', in the order the run drew them.";

    // The choices in blocks of a fixed size, filled in order: a long run's log grows without
    // copying what it holds and without arrays big enough for the large object heap.
    private const int BlockShift = 11;
    private const int BlockSize = 1 << BlockShift;
    private readonly List<Choice[]> _blocks = [];
    private Choice[] _last = [];
    private int _count;

    /// <summary>An empty log that keeps at most <paramref name="keptMax"/> choices.</summary>
    public ChoiceLog(long? seed = null, int keptMax = int.MaxValue)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(keptMax);
        Seed = seed;
        KeptMax = keptMax;
    }

    /// <summary>A log holding <paramref name="choices"/>, e.g. an edited copy of another log.</summary>
    public ChoiceLog(IEnumerable<Choice> choices, long? seed = null)
        : this(seed)
    {
        ArgumentNullException.ThrowIfNull(choices);
        foreach (var choice in choices)
            Append(choice);
    }

    /// <summary>The seed of the recorded run, when its choices came from <see cref="SeededChoices"/>.</summary>
    public long? Seed { get; }

    /// <summary>Choices beyond this many are not kept (<see cref="Truncated"/> is then true).</summary>
    public int KeptMax { get; }

    /// <summary>True when the run drew more choices than <see cref="KeptMax"/>: such a log cannot replay the whole run.</summary>
    public bool Truncated { get; private set; }

    /// <inheritdoc/>
    public int Count => _count;

    /// <inheritdoc/>
    public Choice this[int index]
    {
        get
        {
            if ((uint)index >= (uint)_count)
                throw new ArgumentOutOfRangeException(nameof(index), index, $"The log holds {_count} choices.");
            return _blocks[index >> BlockShift][index & (BlockSize - 1)];
        }
    }

    /// <summary>Appends a choice, or marks the log truncated once it holds <see cref="KeptMax"/>.</summary>
    internal void Add(Choice choice)
    {
        if (_count < KeptMax)
            Append(choice);
        else
            Truncated = true;
    }

    private void Append(Choice choice)
    {
        var slot = _count & (BlockSize - 1);
        if (slot == 0)
        {
            _last = new Choice[BlockSize];
            _blocks.Add(_last);
        }
        _last[slot] = choice;
        _count++;
    }

    /// <inheritdoc/>
    public IEnumerator<Choice> GetEnumerator()
    {
        for (var i = 0; i < _count; i++)
            yield return _blocks[i >> BlockShift][i & (BlockSize - 1)];
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <summary>The step (index) of the first choice where two logs differ, or null when they are identical.</summary>
    public static int? FirstDifference(ChoiceLog a, ChoiceLog b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        var common = Math.Min(a.Count, b.Count);
        for (var i = 0; i < common; i++)
        {
            if (a[i] != b[i])
                return i;
        }
        return a.Count == b.Count && a.Truncated == b.Truncated ? null : common;
    }

    /// <summary>Writes the log as text (see the type's summary for the format).</summary>
    public void WriteTo(TextWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteLine(Header);
        if (Seed is { } seed)
            writer.WriteLine(string.Create(CultureInfo.InvariantCulture, $"seed {seed}"));
        foreach (var choice in this)
            writer.WriteLine(choice.ToString());
        if (Truncated)
            writer.WriteLine("truncated");
    }

    /// <summary>The log as text, one choice a line.</summary>
    public string ToText()
    {
        using var writer = new StringWriter(CultureInfo.InvariantCulture) { NewLine = "\n" };
        WriteTo(writer);
        return writer.ToString();
    }

    /// <summary>Saves the log to <paramref name="path"/> as text.</summary>
    public void Save(string path) => File.WriteAllText(path, ToText());

    /// <summary>Loads a log saved by <see cref="Save"/>.</summary>
    /// <exception cref="FormatException">A line is not part of a choice log; the message names the line.</exception>
    public static ChoiceLog Load(string path)
    {
        using var reader = new StreamReader(path);
        return Read(reader);
    }

    /// <summary>Parses a log written by <see cref="WriteTo"/> or <see cref="ToText"/>.</summary>
    public static ChoiceLog Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        using var reader = new StringReader(text);
        return Read(reader);
    }

    /// <summary>Reads a log written by <see cref="WriteTo"/>.</summary>
    /// <exception cref="FormatException">A line is not part of a choice log; the message names the line.</exception>
    public static ChoiceLog Read(TextReader reader)
    {
        ArgumentNullException.ThrowIfNull(reader);
        long? seed = null;
        var truncated = false;
        var choices = new List<Choice>();
        var lineNumber = 0;
        while (reader.ReadLine() is { } line)
        {
            lineNumber++;
            var trimmed = line.Trim();
            if (trimmed.Length == 0 || trimmed.StartsWith('#'))
                continue;
            if (truncated)
                throw new FormatException($"choice log line {lineNumber}: nothing may follow 'truncated', found '{trimmed}'");
            try
            {
                if (trimmed == "truncated")
                    truncated = true;
                else if (trimmed.StartsWith("seed ", StringComparison.Ordinal))
                    seed = ParseSeed(trimmed, seed, choices.Count);
                else
                    choices.Add(Choice.Parse(trimmed));
            }
            catch (FormatException error)
            {
                throw new FormatException($"choice log line {lineNumber}: {error.Message}", error);
            }
        }
        var log = new ChoiceLog(choices, seed) { Truncated = truncated };
        return log;
    }

    private static long ParseSeed(string line, long? seenSeed, int choicesSoFar)
    {
        if (seenSeed is not null || choicesSoFar > 0)
            throw new FormatException($"'seed N' comes once, before the choices; found '{line}'");
        return long.TryParse(line.AsSpan(5), NumberStyles.Integer, CultureInfo.InvariantCulture, out var seed)
            ? seed
            : throw new FormatException($"'seed' takes an integer, not '{line}'");
    }

    /// <inheritdoc/>
    public override string ToString() =>
        $"<ChoiceLog {Count} choices{(Seed is { } seed ? $" seed={seed}" : "")}{(Truncated ? " truncated" : "")}>";
}

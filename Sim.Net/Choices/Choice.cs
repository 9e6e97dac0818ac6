using System.Globalization;

namespace Sim.Net;

/// <summary>
/// One recorded decision: what the program asked for (<see cref="Kind"/> and <see cref="Bound"/>)
/// and what it got (<see cref="Value"/>). Ints up to 2^31 and bools (0 or 1) are exact in a double,
/// so one compact shape holds all three kinds.
/// </summary>
public readonly record struct Choice(ChoiceKind Kind, double Bound, double Value)
{
    /// <summary>A <see cref="IChoiceSource.NextInt"/> answer.</summary>
    public static Choice Int(int maxExclusive, int value) => new(ChoiceKind.Int, maxExclusive, value);

    /// <summary>A <see cref="IChoiceSource.NextDouble"/> answer.</summary>
    public static Choice Double(double value) => new(ChoiceKind.Double, 1, value);

    /// <summary>A <see cref="IChoiceSource.NextBool"/> answer.</summary>
    public static Choice Bool(double probability, bool value) => new(ChoiceKind.Bool, probability, value ? 1 : 0);

    /// <summary>The value of an <see cref="ChoiceKind.Int"/> choice.</summary>
    public int IntValue => (int)Value;

    /// <summary>The value of a <see cref="ChoiceKind.Bool"/> choice.</summary>
    public bool BoolValue => Value != 0;

    /// <summary>Whether this choice answers the same question: same kind, same bound (bit for bit).</summary>
    public bool Answers(ChoiceKind kind, double bound) => Kind == kind && Bound.Equals(bound);

    /// <summary>Whether <see cref="Value"/> is a possible answer to the question (kind, bound).</summary>
    internal bool IsWellFormed => Kind switch
    {
        ChoiceKind.Int => Bound >= 1 && Bound <= int.MaxValue && Value >= 0 && Value < Bound && Value == Math.Floor(Value),
        ChoiceKind.Double => Value >= 0 && Value < 1,
        ChoiceKind.Bool => Bound >= 0 && Bound <= 1 && (Value == 0 || Value == 1),
        _ => false,
    };

    /// <summary>The choice as one line of a choice log: <c>int 1000 83</c>, <c>double 1 0.25</c>,
    /// <c>bool 0.5 true</c>. Doubles use the shortest text that parses back to the same bits.</summary>
    public override string ToString() => Kind switch
    {
        ChoiceKind.Int => string.Create(CultureInfo.InvariantCulture, $"int {(int)Bound} {IntValue}"),
        ChoiceKind.Double => $"double 1 {Format(Value)}",
        ChoiceKind.Bool => $"bool {Format(Bound)} {(BoolValue ? "true" : "false")}",
        _ => $"unknown-kind-{(int)Kind} {Format(Bound)} {Format(Value)}",
    };

    /// <summary>Describes the question alone, for error messages: <c>an int in [0, 1000)</c>.</summary>
    public static string DescribeQuestion(ChoiceKind kind, double bound) => kind switch
    {
        ChoiceKind.Int => string.Create(CultureInfo.InvariantCulture, $"an int in [0, {(int)bound})"),
        ChoiceKind.Double => "a double in [0, 1)",
        ChoiceKind.Bool => $"a bool with probability {Format(bound)}",
        _ => $"a choice of unknown kind {(int)kind}",
    };

    /// <summary>Parses one line written by <see cref="ToString"/>.</summary>
    /// <exception cref="FormatException">The line is not a valid choice; the message says why.</exception>
    public static Choice Parse(string line)
    {
        ArgumentNullException.ThrowIfNull(line);
        var fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (fields.Length != 3)
            throw new FormatException($"a choice is 'kind bound value' (e.g. 'int 1000 83'), not '{line}'");
        return fields[0] switch
        {
            "int" => ParseInt(fields, line),
            "double" => ParseDouble(fields, line),
            "bool" => ParseBool(fields, line),
            _ => throw new FormatException($"unknown choice kind '{fields[0]}' in '{line}' (known: int, double, bool)"),
        };
    }

    private static Choice ParseInt(string[] fields, string line)
    {
        if (!int.TryParse(fields[1], NumberStyles.Integer, CultureInfo.InvariantCulture, out var bound) || bound <= 0)
            throw new FormatException($"an int choice's bound is a positive integer, not '{fields[1]}' in '{line}'");
        if (!int.TryParse(fields[2], NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) || value < 0 || value >= bound)
            throw new FormatException($"an int choice's value lies in [0, {bound}), not '{fields[2]}' in '{line}'");
        return Int(bound, value);
    }

    private static Choice ParseDouble(string[] fields, string line)
    {
        if (fields[1] != "1")
            throw new FormatException($"a double choice's bound is 1, not '{fields[1]}' in '{line}'");
        if (!double.TryParse(fields[2], NumberStyles.Float, CultureInfo.InvariantCulture, out var value) || !(value >= 0 && value < 1))
            throw new FormatException($"a double choice's value lies in [0, 1), not '{fields[2]}' in '{line}'");
        return Double(value);
    }

    private static Choice ParseBool(string[] fields, string line)
    {
        if (!double.TryParse(fields[1], NumberStyles.Float, CultureInfo.InvariantCulture, out var probability) || !(probability >= 0 && probability <= 1))
            throw new FormatException($"a bool choice's bound is a probability in [0, 1], not '{fields[1]}' in '{line}'");
        var value = fields[2] switch
        {
            "true" => true,
            "false" => false,
            _ => throw new FormatException($"a bool choice's value is true or false, not '{fields[2]}' in '{line}'"),
        };
        return Bool(probability, value);
    }

    private static string Format(double value) => value.ToString("R", CultureInfo.InvariantCulture);
}

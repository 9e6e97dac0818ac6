using Sim.Net;

namespace Sim.Tests.Simulations;

/// <summary>The choice log's text form: one choice a line, exact doubles, errors that name the line.</summary>
[Trait("Category", "Unit")]
public sealed class ChoiceLogTests
{
    [Fact]
    public void ToText_EveryKind_WritesOneLineAChoiceAfterTheSeed()
    {
        var log = new ChoiceLog([Choice.Int(1000, 83), Choice.Double(0.1), Choice.Bool(0.3, true), Choice.Bool(0.5, false)], seed: -7);

        var lines = log.ToText().Split('\n', StringSplitOptions.RemoveEmptyEntries);

        Assert.StartsWith("#", lines[0], StringComparison.Ordinal);
        Assert.Equal(["seed -7", "int 1000 83", "double 1 0.1", "bool 0.3 true", "bool 0.5 false"], lines.Skip(1));
    }

    [Fact]
    public void Parse_TextOfALog_GivesTheSameChoicesBitForBit()
    {
        var awkward = BitConverter.Int64BitsToDouble(0x3FEFFFFFFFFFFFFF); // the largest double below 1
        var log = new ChoiceLog([Choice.Double(awkward), Choice.Double(1.0 / 3), Choice.Double(5e-324), Choice.Int(int.MaxValue, int.MaxValue - 1), Choice.Bool(1e-9, false)], seed: 42);

        var parsed = ChoiceLog.Parse(log.ToText());

        Assert.Equal(log, parsed);
        Assert.Equal(42, parsed.Seed);
        Assert.Equal(BitConverter.DoubleToInt64Bits(awkward), BitConverter.DoubleToInt64Bits(parsed[0].Value));
    }

    [Fact]
    public void Parse_CommentsBlankLinesAndNoSeed_AreAccepted()
    {
        var parsed = ChoiceLog.Parse("# a comment\n\n  int 4 3  \n# another\nbool 1 true\n");

        Assert.Null(parsed.Seed);
        Assert.Equal([Choice.Int(4, 3), Choice.Bool(1, true)], parsed);
    }

    [Fact]
    public void Parse_TruncatedMarker_IsKeptAndWrittenBack()
    {
        var parsed = ChoiceLog.Parse("int 4 3\ntruncated\n");

        Assert.True(parsed.Truncated);
        Assert.EndsWith("int 4 3\ntruncated\n", parsed.ToText(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("int 4 4", "line 2: an int choice's value lies in [0, 4), not '4'")]
    [InlineData("int 0 0", "line 2: an int choice's bound is a positive integer, not '0'")]
    [InlineData("double 2 0.5", "line 2: a double choice's bound is 1, not '2'")]
    [InlineData("double 1 1", "line 2: a double choice's value lies in [0, 1), not '1'")]
    [InlineData("bool 0.5 yes", "line 2: a bool choice's value is true or false, not 'yes'")]
    [InlineData("float 1 0.5", "line 2: unknown choice kind 'float'")]
    [InlineData("int 4", "line 2: a choice is 'kind bound value'")]
    [InlineData("seed 3", "line 2: 'seed N' comes once, before the choices")]
    public void Parse_BadLine_ThrowsFormatExceptionNamingTheLine(string badLine, string expected)
    {
        var error = Assert.Throws<FormatException>(() => ChoiceLog.Parse($"int 4 1\n{badLine}\n"));
        Assert.Contains($"choice log {expected}", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void FirstDifference_LogsDifferingAtAStepOrInLength_ReturnsThatStep()
    {
        var a = new ChoiceLog([Choice.Int(4, 1), Choice.Int(4, 2), Choice.Int(4, 3)]);
        var b = new ChoiceLog([Choice.Int(4, 1), Choice.Int(4, 0), Choice.Int(4, 3)]);
        var prefix = new ChoiceLog([Choice.Int(4, 1)]);

        Assert.Equal(1, ChoiceLog.FirstDifference(a, b));
        Assert.Equal(1, ChoiceLog.FirstDifference(a, prefix));
        Assert.Null(ChoiceLog.FirstDifference(a, new ChoiceLog(a)));
    }

    [Fact]
    public void RecordedChoices_KeptMaxZero_RecordsNothingButMarksTheLogTruncated()
    {
        var simulation = new Simulation(1, new SimulationOptions { Log = TextWriter.Null, ChoicesKeptMax = 0 });

        simulation.Choices.NextInt(10);

        Assert.Empty(simulation.RecordedChoices);
        Assert.True(simulation.RecordedChoices.Truncated);
    }
}

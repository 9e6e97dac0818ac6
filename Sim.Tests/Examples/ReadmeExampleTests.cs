using Sim.Core;
using Sim.Net;

namespace Sim.Tests.Examples;

/// <summary>The README's 30-second example, kept compiling and true.</summary>
[Trait("Category", "Simulation")]
public sealed class ReadmeExampleTests
{
    [Fact]
    public void ReadmeExample_Seed42_PrintsTheSameLinesEveryRun()
    {
        var first = RunExample(42);
        var second = RunExample(42);
        Assert.Equal(first.Lines, second.Lines);
        Assert.Equal(first.Seconds, second.Seconds);
        Assert.StartsWith("fast after 0.", first.Lines[0], StringComparison.Ordinal);
        Assert.Equal("cancelled: not needed", first.Lines[1]);
        Assert.Equal(0, first.Seconds);
    }

    private static (List<string> Lines, int Seconds) RunExample(long seed)
    {
        var lines = new List<string>();
        async Coroutine<string> Fetch(string name, double seconds)
        {
            await Asyncio.Sleep(seconds);
            return $"{name} after {seconds}s";
        }
        async Coroutine<int> Main(Simulation sim)
        {
            var loop = sim.Loop;
            var slow = loop.CreateTask(Fetch("slow", 3600));
            var fast = loop.CreateTask(Fetch("fast", sim.Choices.NextDouble()));
            lines.Add(await fast);
            slow.Cancel("not needed");
            try { await slow; } catch (CancelledError e) { lines.Add($"cancelled: {e.CancelMessage}"); }
            return (int)loop.Time();
        }
        var seconds = Simulation.Run(seed, Main);
        return (lines, seconds);
    }
}

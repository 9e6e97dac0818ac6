using Sim.Core;
using Sim.Net;
using Sim.Real;

namespace Sim.Tests.Simulations;

/// <summary>
/// <see cref="Buggify.On"/>: never on a production loop or outside a loop; in a simulation a
/// site is switched on or off for the whole run (seeded), fires with its probability when on,
/// and every decision replays from the seed.
/// </summary>
[Trait("Category", "Simulation")]
public sealed class BuggifyTests
{
    private static Simulation NewSimulation(long seed, double siteProbability = 0.25, bool buggify = true) =>
        new(seed, new SimulationOptions { Log = TextWriter.Null, Buggify = buggify, BuggifySiteProbability = siteProbability });

    /// <summary>One site evaluated <paramref name="times"/> times with <paramref name="probability"/>.</summary>
    private static async Coroutine<List<bool>> Evaluate(int times, double probability)
    {
        var fired = new List<bool>();
        for (var i = 0; i < times; i++)
        {
            fired.Add(Buggify.On(probability));
            await Asyncio.Sleep(0);
        }
        return fired;
    }

    [Fact]
    public void OutsideALoop_AndOnAProductionLoop_NeverFires()
    {
        Assert.False(Buggify.On(1.0));
        var loop = RealLoop.Create(RealBackendKind.Epoll);
        try
        {
            Assert.DoesNotContain(true, loop.RunUntilComplete(Evaluate(100, 1.0)));
        }
        finally
        {
            loop.Close();
        }
    }

    [Fact]
    public void ASiteIsOnOrOffForTheWholeRun_AboutOneRunInFour()
    {
        var on = 0;
        for (var seed = 1; seed <= 400; seed++)
        {
            var fired = NewSimulation(seed).RunUntilComplete(Evaluate(20, 1.0));
            Assert.True(fired.All(f => f) || fired.All(f => !f), $"seed {seed}: the site changed its switch during the run");
            if (fired[0])
                on++;
        }
        Assert.InRange(on, 60, 140);
    }

    [Fact]
    public void ASiteSwitchedOn_FiresWithItsProbability()
    {
        var fired = NewSimulation(7, siteProbability: 1).RunUntilComplete(Evaluate(2000, 0.1));
        Assert.InRange(fired.Count(f => f), 140, 260);
        Assert.DoesNotContain(true, NewSimulation(7, siteProbability: 0).RunUntilComplete(Evaluate(100, 1.0)));
        Assert.DoesNotContain(true, NewSimulation(7, siteProbability: 1, buggify: false).RunUntilComplete(Evaluate(100, 1.0)));
    }

    [Fact]
    public void TheSameSeed_FiresTheSameWay_AndTheTraceSaysWhere()
    {
        var first = NewSimulation(11, siteProbability: 1);
        var second = NewSimulation(11, siteProbability: 1);
        Assert.Equal(first.RunUntilComplete(Evaluate(200, 0.3)), second.RunUntilComplete(Evaluate(200, 0.3)));
        Assert.Equal(first.Trace.Hash, second.Trace.Hash);
        var site = Assert.Single(first.Trace.Events, e => e.Kind == "buggify.site").Details;
        Assert.Matches(@"^BuggifyTests\.cs:\d+ on$", site);
        Assert.Contains(first.Trace.Events, e => e.Kind == "buggify" && site.StartsWith(e.Details, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(-0.1)]
    [InlineData(1.1)]
    [InlineData(double.NaN)]
    public void AProbabilityOutsideZeroToOne_IsRefused(double probability)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => Buggify.On(probability));
        Assert.Throws<ArgumentOutOfRangeException>(() => NewSimulation(1, siteProbability: probability));
    }
}

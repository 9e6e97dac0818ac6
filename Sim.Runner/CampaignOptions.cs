using System.Globalization;

namespace Sim.Runner;

/// <summary>What a campaign runs: which scenario, which seeds, which share of them, how checked.</summary>
internal sealed record CampaignOptions
{
    public required string Scenario { get; init; }

    public long FirstSeed { get; init; } = 1;

    /// <summary>100 seeds by default: a second of wall time, a few hundred interleavings.</summary>
    public long SeedCount { get; init; } = 100;

    /// <summary>This runner's share: seeds whose index % ShardCount == ShardIndex.</summary>
    public int ShardIndex { get; init; }

    public int ShardCount { get; init; } = 1;

    /// <summary>Every Nth seed is run twice and its traces compared (FoundationDB reruns a share
    /// of seeds to catch nondeterminism). 10: a 10% overhead.</summary>
    public int DeterminismEvery { get; init; } = 10;

    /// <summary>Stop starting new seeds after this much wall time (seconds); 0 for no limit.</summary>
    public double TimeLimit { get; init; }

    public string? JUnitPath { get; init; }

    public bool Quiet { get; init; }

    /// <summary>Replay this saved choice log instead of running seeds.</summary>
    public string? ReplayPath { get; init; }

    /// <summary>Save the choice log of every failing seed in this folder, for <c>--replay</c>
    /// (and of the seed itself when just one is run).</summary>
    public string? SaveChoicesDirectory { get; init; }

    /// <summary>Parses <c>[scenario] [--seeds A..B | --seed S | --count N --start S] [--shard K/N] [--determinism-every N] [--time-limit S] [--junit FILE] [--quiet] [--save-choices DIR] [--replay FILE]</c>.</summary>
    public static CampaignOptions Parse(IReadOnlyList<string> args, string defaultScenario)
    {
        var options = new CampaignOptions { Scenario = defaultScenario };
        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            string Next() => i + 1 < args.Count ? args[++i] : throw new ArgumentException($"{arg} needs a value");
            options = arg switch
            {
                "--seeds" => ParseSeedRange(options, Next()),
                "--seed" => options with { FirstSeed = ParseLong(Next(), arg), SeedCount = 1 },
                "--count" => options with { SeedCount = ParsePositive(Next(), arg) },
                "--start" => options with { FirstSeed = ParseLong(Next(), arg) },
                "--shard" => ParseShard(options, Next()),
                "--determinism-every" => options with { DeterminismEvery = (int)ParsePositive(Next(), arg) },
                "--no-determinism-check" => options with { DeterminismEvery = 0 },
                "--time-limit" => options with { TimeLimit = double.Parse(Next(), CultureInfo.InvariantCulture) },
                "--junit" => options with { JUnitPath = Next() },
                "--quiet" => options with { Quiet = true },
                "--replay" => options with { ReplayPath = Next() },
                "--save-choices" => options with { SaveChoicesDirectory = Next() },
                _ when !arg.StartsWith('-') => options with { Scenario = arg },
                _ => throw new ArgumentException($"unknown option {arg}"),
            };
        }
        return options;
    }

    private static CampaignOptions ParseSeedRange(CampaignOptions options, string range)
    {
        var parts = range.Split("..");
        if (parts.Length != 2)
            throw new ArgumentException($"--seeds takes a range like 1..100, not '{range}'");
        var first = ParseLong(parts[0], "--seeds");
        var last = ParseLong(parts[1], "--seeds");
        if (last < first)
            throw new ArgumentException($"--seeds {range}: the range is empty");
        return options with { FirstSeed = first, SeedCount = last - first + 1 };
    }

    private static CampaignOptions ParseShard(CampaignOptions options, string shard)
    {
        var parts = shard.Split('/');
        if (parts.Length != 2 || !int.TryParse(parts[0], out var index) || !int.TryParse(parts[1], out var count) || count < 1 || index < 0 || index >= count)
            throw new ArgumentException($"--shard takes K/N with 0 <= K < N (e.g. 0/4), not '{shard}'");
        return options with { ShardIndex = index, ShardCount = count };
    }

    private static long ParseLong(string text, string option) =>
        long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value)
            ? value
            : throw new ArgumentException($"{option} takes an integer, not '{text}'");

    private static long ParsePositive(string text, string option)
    {
        var value = ParseLong(text, option);
        return value > 0 ? value : throw new ArgumentException($"{option} takes a positive integer, not '{text}'");
    }
}

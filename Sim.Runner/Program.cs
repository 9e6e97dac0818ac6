using Sim.Examples;
using Sim.Runner;

// The simulation campaign runner. `dotnet run --project Sim.Runner` runs the default scenario
// over seeds 1..100; `--help` lists the options.
if (args is ["--help" or "-h"])
{
    Console.WriteLine("""
        usage: Sim.Runner [SCENARIO] [--seeds A..B | --seed S | --start S --count N] [--shard K/N]
                          [--determinism-every N | --no-determinism-check] [--time-limit SECONDS]
                          [--junit FILE] [--quiet] [--save-choices DIR]
               Sim.Runner [SCENARIO] --replay FILE
               Sim.Runner list
        Runs SCENARIO (default: the first listed) once per seed in virtual time, prints one line a
        seed, a one-line reproduction for every failing seed, and a final verdict. Exit code 1 if
        any seed failed. --save-choices saves the choice log of each failing seed (or of
        the one seed given with --seed) in DIR; --replay runs
        the scenario once on such a log (or one reported by a Coyote exploration) instead of a seed.
        """);
    return 0;
}
if (args is ["list"])
{
    foreach (var scenario in ScenarioCatalog.All)
        Console.WriteLine($"{scenario.Name,-20} {scenario.Description}");
    return 0;
}
CampaignOptions options;
try
{
    options = CampaignOptions.Parse(args, ScenarioCatalog.All[0].Name);
}
catch (ArgumentException error)
{
    Console.Error.WriteLine($"error: {error.Message} (see --help)");
    return 2;
}
if (ScenarioCatalog.Find(options.Scenario) is not { } chosen)
{
    Console.Error.WriteLine($"error: no scenario '{options.Scenario}'; known: {string.Join(", ", ScenarioCatalog.All.Select(s => s.Name))}");
    return 2;
}
if (options.ReplayPath is { } replayPath)
    return new ChoiceReplay(chosen, replayPath, Console.Out).Run();
var campaign = new Campaign(chosen, options, Console.Out);
var exitCode = campaign.Run();
if (options.JUnitPath is { } junit)
    JUnitReport.Write(junit, chosen.Name, campaign.Results);
return exitCode;

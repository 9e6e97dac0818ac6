using System.Globalization;
using System.Xml.Linq;

namespace Sim.Runner;

/// <summary>Writes a campaign as JUnit XML, one test case a seed, for CI systems to show.</summary>
internal static class JUnitReport
{
    public static void Write(string path, string scenario, IReadOnlyList<SeedResult> results)
    {
        var failures = results.Count(r => !r.Passed);
        var suite = new XElement("testsuite",
            new XAttribute("name", scenario),
            new XAttribute("tests", results.Count),
            new XAttribute("failures", failures),
            new XAttribute("time", Seconds(results.Sum(r => r.WallSeconds))),
            results.Select(r => new XElement("testcase",
                new XAttribute("classname", scenario),
                new XAttribute("name", $"seed {r.Seed}"),
                new XAttribute("time", Seconds(r.WallSeconds)),
                r.Passed
                    ? new XElement("system-out", r.Summary)
                    : new XElement("failure", new XAttribute("message", r.Failure ?? ""), $"reproduce: {r.Reproduction(scenario)}"))));
        new XDocument(new XElement("testsuites", suite)).Save(path);
    }

    private static string Seconds(double seconds) => seconds.ToString("0.000", CultureInfo.InvariantCulture);
}

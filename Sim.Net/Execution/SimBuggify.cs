using Sim.Core;

namespace Sim.Net;

/// <summary>
/// The simulation's <see cref="IFaultInjector"/>: the first time a <see cref="Buggify"/> site is
/// reached it is switched on for the run with <see cref="SimulationOptions.BuggifySiteProbability"/>,
/// and a site switched on fires with the probability it asks for. Each decision is one choice,
/// so runs replay; the trace records each site's switch and each firing.
/// </summary>
internal sealed class SimBuggify(Simulation simulation, double siteProbability) : IFaultInjector
{
    // Looked up only, never iterated: its order decides nothing.
    private readonly Dictionary<string, bool> _sites = new(StringComparer.Ordinal);

    public bool Buggify(string site, double probability)
    {
        if (!_sites.TryGetValue(site, out var switchedOn))
        {
            switchedOn = simulation.Choices.NextBool(siteProbability);
            _sites[site] = switchedOn;
            Record("buggify.site", $"{site} {(switchedOn ? "on" : "off")}");
        }
        if (!switchedOn || !simulation.Choices.NextBool(probability))
            return false;
        Record("buggify", site);
        return true;
    }

    private void Record(string kind, string details) =>
        simulation.Trace.Record(simulation.Network.DefaultHost.Name, kind, details);
}

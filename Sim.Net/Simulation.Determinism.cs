namespace Sim.Net;

public sealed partial class Simulation
{
    /// <summary>
    /// Runs <paramref name="scenario"/> twice, each time in a fresh simulation for
    /// <paramref name="seed"/>, and compares the two runs: traces, choices and outcomes (an
    /// exception the scenario throws is part of its outcome, not an error here). A scenario that
    /// is a pure function of its seed gives a report whose <see cref="DivergenceReport.Diverged"/>
    /// is false; otherwise the report names the first divergent event.
    /// </summary>
    public static DivergenceReport RunTwice(long seed, Action<Simulation> scenario, SimulationOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(scenario);
        var (first, firstOutcome) = RunOnce(seed, scenario, options);
        var (second, secondOutcome) = RunOnce(seed, scenario, options);
        return DivergenceReport.Compare(first.Trace, second.Trace, first.RecordedChoices, second.RecordedChoices, firstOutcome, secondOutcome, seed);
    }

    private static (Simulation Simulation, string Outcome) RunOnce(long seed, Action<Simulation> scenario, SimulationOptions? options)
    {
        var simulation = new Simulation(seed, options);
        try
        {
            scenario(simulation);
            return (simulation, "completed");
        }
#pragma warning disable CA1031 // The scenario's exception is its outcome, compared between the runs.
        catch (Exception exception)
#pragma warning restore CA1031
        {
            return (simulation, $"{exception.GetType().Name}: {exception.Message}");
        }
        finally
        {
            if (!simulation.Loop.IsRunning)
                simulation.Loop.Close();
        }
    }
}

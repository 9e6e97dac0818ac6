using Sim.Net;

namespace Sim.Coyote;

/// <summary>
/// The test method Coyote runs once an iteration: a fresh simulation on <see cref="CoyoteChoices"/>,
/// remembering the first iteration whose scenario threw, with its choices.
/// </summary>
internal sealed class IterationLog(Action<Simulation> scenario, SimulationOptions simulationOptions)
{
    internal sealed record Outcome(int Iteration, Exception? Exception, ChoiceLog Choices, string TraceHash);

    public int Count { get; private set; }

    public Outcome? Failed { get; private set; }

    public Outcome? Last { get; private set; }

    public void Run()
    {
        Count++;
        // The seed only labels the iteration: every choice comes from Coyote.
        var simulation = new Simulation(Count, simulationOptions, new CoyoteChoices());
        try
        {
            scenario(simulation);
            Last = new Outcome(Count, null, simulation.RecordedChoices, simulation.Trace.Hash);
        }
        catch (ThreadInterruptedException)
        {
            // Coyote abandons an iteration (its steps bound) by interrupting it: not a failure.
            throw;
        }
        catch (Exception exception) when (Failed is null)
        {
            Failed = new Outcome(Count, exception, simulation.RecordedChoices, simulation.Trace.Hash);
            Last = Failed;
            throw;
        }
        finally
        {
            if (!simulation.Loop.IsRunning)
                simulation.Loop.Close();
        }
    }
}

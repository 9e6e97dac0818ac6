using System.Globalization;
using Sim.Core;
using Sim.Net;

namespace Sim.Tests.Simulations;

/// <summary>Small simulated programs for the choice-source tests.</summary>
internal static class ChoicePrograms
{
    /// <summary>
    /// Workers that sleep for drawn delays, flip drawn coins, hand work to the executor (whose
    /// latency is a drawn double) and record what they see: every kind of choice, interleaved by
    /// the choices themselves.
    /// </summary>
    public static async Coroutine<int> Workers(Simulation simulation)
    {
        var loop = simulation.Loop;
        async Coroutine<int> Worker(int id)
        {
            var total = 0;
            for (var step = 0; step < 3; step++)
            {
                await Asyncio.Sleep(simulation.Choices.NextInt(1000) / 1000.0);
                var heads = simulation.Choices.NextBool(0.3);
                simulation.Trace.Record($"worker{id}", "woke", string.Create(CultureInfo.InvariantCulture, $"step {step} heads {heads}"));
                total += await loop.RunInExecutor(() => id * 10 + step);
            }
            return total;
        }
        var workers = Enumerable.Range(0, 4).Select(id => loop.CreateTask(Worker(id), $"worker-{id}")).ToList();
        var sum = 0;
        foreach (var worker in workers)
            sum += await worker;
        simulation.Trace.Record("main", "done", sum.ToString(CultureInfo.InvariantCulture));
        return sum;
    }

    /// <summary>Runs <see cref="Workers"/> to completion in <paramref name="simulation"/> and closes its loop.</summary>
    public static Simulation RunWorkers(Simulation simulation)
    {
        simulation.RunUntilComplete(Workers(simulation));
        simulation.Loop.Close();
        return simulation;
    }

    /// <summary>
    /// The planted ordering bug: tasks A and B each increment a shared counter once. A's
    /// read-modify-write awaits only on its rare slow path (a choice of 1 in 8), and B's increment
    /// falls between A's read and write only when B wakes at the very virtual instant A does
    /// (equal deadlines run in scheduling order, A first; 1 in 8). That one interleaving
    /// (A reads, B increments, A writes) loses B's update: 8 of the 512 triples of choices, 1 in 64.
    /// The choices are drawn in the order A's delay, B's delay, A's slow path.
    /// </summary>
    public static async Coroutine<int> LostUpdate(Simulation simulation, bool slowPathAwaits = true)
    {
        var loop = simulation.Loop;
        var counter = 0;
        async Coroutine IncrementA()
        {
            await Asyncio.Sleep(simulation.Choices.NextInt(8));
            var seen = counter;
            simulation.Trace.Record("A", "read", seen.ToString(CultureInfo.InvariantCulture));
            if (simulation.Choices.NextInt(8) == 7 && slowPathAwaits)
                await Asyncio.Sleep(0);
            counter = seen + 1;
            simulation.Trace.Record("A", "wrote", counter.ToString(CultureInfo.InvariantCulture));
        }
        async Coroutine IncrementB()
        {
            await Asyncio.Sleep(simulation.Choices.NextInt(8));
            counter++;
            simulation.Trace.Record("B", "incremented", counter.ToString(CultureInfo.InvariantCulture));
        }
        var a = loop.CreateTask(IncrementA(), "A");
        var b = loop.CreateTask(IncrementB(), "B");
        await a;
        await b;
        if (counter != 2)
            throw new InvalidOperationException($"lost update: the counter is {counter} after two increments");
        return counter;
    }
}

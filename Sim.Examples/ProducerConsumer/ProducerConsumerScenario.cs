using System.Globalization;
using Sim.Core;
using Sim.Net;

namespace Sim.Examples.ProducerConsumer;

/// <summary>
/// The producer/consumer program of the asyncio tutorials: producers put numbered items into a
/// bounded <see cref="LoopQueue{T}"/> after random pauses, consumers take them and "work" for a
/// random while, and main waits for the producers, then for the queue to drain
/// (<c>Join</c>), then cancels the consumers. Every pause is drawn from the simulation's seeded
/// choices, so each seed is one reproducible interleaving.
/// </summary>
public sealed class ProducerConsumerScenario : IScenario
{
    // Enough parties and items for queue-full and queue-empty waits to happen on most seeds,
    // few enough that a campaign of hundreds of seeds runs in a second.
    private const int ProducerCount = 3;
    private const int ConsumerCount = 2;
    private const int ItemsPerProducer = 10;
    private const int QueueCapacity = 4;

    // Pauses in seconds of virtual time.
    private const double ProducePauseMax = 1.0;
    private const double ConsumeWorkMax = 1.5;

    public string Name => "producer-consumer";

    public string Description =>
        $"{ProducerCount} producers and {ConsumerCount} consumers over a queue of {QueueCapacity}, random pauses";

    public string Run(Simulation simulation)
    {
        ArgumentNullException.ThrowIfNull(simulation);
        var report = simulation.RunUntilComplete(Main(simulation));
        return string.Create(CultureInfo.InvariantCulture,
            $"produced {report.Produced}, consumed {report.Consumed}, queue-full waits {report.FullWaits}, virtual {simulation.Loop.Time():0.000}s, trace {simulation.Trace.Hash}");
    }

    private static async Coroutine<Report> Main(Simulation simulation)
    {
        var loop = simulation.Loop;
        var queue = new LoopQueue<int>(QueueCapacity);
        var report = new Report();
        var producers = new List<LoopTask<Unit>>();
        for (var p = 0; p < ProducerCount; p++)
            producers.Add(loop.CreateTask(Produce(simulation, queue, p, report), $"producer-{p}"));
        var consumers = new List<LoopTask<Unit>>();
        for (var c = 0; c < ConsumerCount; c++)
            consumers.Add(loop.CreateTask(Consume(simulation, queue, c, report), $"consumer-{c}"));

        foreach (var producer in producers)
            await producer;
        await queue.Join();
        foreach (var consumer in consumers)
            consumer.Cancel();
        foreach (var consumer in consumers)
        {
            try
            {
                await consumer;
            }
            catch (CancelledError)
            {
                // Expected: consumers run until cancelled.
            }
        }
        report.Check();
        return report;
    }

    private static async Coroutine Produce(Simulation simulation, LoopQueue<int> queue, int producer, Report report)
    {
        for (var i = 0; i < ItemsPerProducer; i++)
        {
            await Asyncio.Sleep(simulation.Choices.NextDouble() * ProducePauseMax);
            var item = producer * ItemsPerProducer + i;
            if (queue.Full())
                report.FullWaits++;
            await queue.Put(item);
            report.Produced++;
            simulation.Trace.Record($"producer-{producer}", "put", item.ToString(CultureInfo.InvariantCulture));
        }
    }

    private static async Coroutine Consume(Simulation simulation, LoopQueue<int> queue, int consumer, Report report)
    {
        while (true)
        {
            var item = await queue.Get();
            simulation.Trace.Record($"consumer-{consumer}", "get", item.ToString(CultureInfo.InvariantCulture));
            await Asyncio.Sleep(simulation.Choices.NextDouble() * ConsumeWorkMax);
            report.Consume(item);
            queue.TaskDone();
        }
    }

    private sealed class Report
    {
        private readonly bool[] _seen = new bool[ProducerCount * ItemsPerProducer];

        public int Produced { get; set; }

        public int Consumed { get; private set; }

        public int FullWaits { get; set; }

        public void Consume(int item)
        {
            if (_seen[item])
                throw new InvalidOperationException($"item {item} was consumed twice");
            _seen[item] = true;
            Consumed++;
        }

        /// <summary>The scenario's invariant: every item produced was consumed exactly once.</summary>
        public void Check()
        {
            var missing = Enumerable.Range(0, _seen.Length).Where(i => !_seen[i]).ToList();
            if (Produced != _seen.Length || missing.Count > 0)
                throw new InvalidOperationException(
                    $"produced {Produced} of {_seen.Length}; never consumed: {string.Join(", ", missing)}");
        }
    }
}

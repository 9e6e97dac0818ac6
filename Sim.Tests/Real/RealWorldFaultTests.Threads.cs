using Sim.Core;
using Sim.Real;

namespace Sim.Tests.Real;

/// <summary><c>CallSoonThreadsafe</c> from many threads while the loop is busy with I/O.</summary>
public sealed partial class RealWorldFaultTests
{
    [Theory]
    [InlineData(RealBackendKind.Epoll)]
    [InlineData(RealBackendKind.Portable)]
    public void CallSoonThreadsafe_ManyThreadsDuringEchoTraffic_EveryCallbackRunsOnceInEachSendersOrder(RealBackendKind kind)
    {
        const int senders = 6;
        const int callbacksPerSender = 20_000;
        const int echoClients = 4;
        const int messageSize = 4 * 1024;
        var runs = new int[senders, callbacksPerSender];
        var outOfOrder = 0;
        var ran = 0;
        var roundTripsWhileSending = 0L;
        var mismatches = 0;
        Run(kind, async loop =>
        {
            var (server, _) = await Serve(loop, () => EchoProtocol(loop));
            var port = PortOf(server);
            var echoing = true;
            long roundTrips = 0;
            async Coroutine EchoClient(int seed)
            {
                var (reader, writer) = await Asyncio.OpenConnection(Host, port);
                for (long offset = seed * 1_000_003L; echoing; offset += messageSize)
                {
                    var message = PatternChunk(offset, messageSize);
                    writer.Write(message);
                    await writer.Drain();
                    if (!(await reader.ReadExactly(messageSize)).AsSpan().SequenceEqual(message))
                        mismatches++;
                    roundTrips++;
                }
                writer.Close();
                await writer.WaitClosed();
            }
            var clients = Enumerable.Range(0, echoClients).Select(i => loop.CreateTask(EchoClient(i))).ToList();
            Assert.True(await Within(5, () => roundTrips > 0), "the echo traffic did not start");

            var lastSeen = Enumerable.Repeat(-1, senders).ToArray();
            var roundTripsAtStart = roundTrips;
            using var start = new Barrier(senders);
            var threads = Enumerable.Range(0, senders).Select(sender => new Thread(() =>
            {
                start.SignalAndWait();
                for (var i = 0; i < callbacksPerSender; i++)
                {
                    var n = i;
                    loop.CallSoonThreadsafe(() =>
                    {
                        // On the loop thread, like everything but the counter read below.
                        runs[sender, n]++;
                        if (n != lastSeen[sender] + 1)
                            outOfOrder++;
                        lastSeen[sender] = n;
                        Interlocked.Increment(ref ran);
                    });
                    // Uneven gaps, so sends keep racing with the loop's drains of its wake-up.
                    if (i % 64 == 0)
                        Thread.SpinWait(200 * (sender + 1));
                }
            }) { IsBackground = true, Name = $"CallSoonThreadsafe sender {sender}" }).ToList();
            threads.ForEach(thread => thread.Start());
            var all = senders * callbacksPerSender;
            Assert.True(
                await Within(20, () => Volatile.Read(ref ran) == all),
                $"only {Volatile.Read(ref ran)} of {all} callbacks ran within 20 s (a lost wake-up?)");
            roundTripsWhileSending = roundTrips - roundTripsAtStart;
            // Every callback has run, so every sender has finished sending.
            Assert.All(threads, thread => Assert.True(thread.Join(TimeSpan.FromSeconds(5))));
            await Asyncio.Sleep(0.05);

            echoing = false;
            await Asyncio.WaitFor(Asyncio.Gather(clients), 10);
            server.Close();
            await Asyncio.WaitFor(server.WaitClosed(), 10);
        });

        Assert.Equal(senders * callbacksPerSender, ran);
        Assert.All(runs.Cast<int>(), count => Assert.Equal(1, count));
        Assert.Equal(0, outOfOrder);
        Assert.Equal(0, mismatches);
        Assert.True(roundTripsWhileSending > 0, "no echo completed while the threads were sending: the loop did no I/O meanwhile");
        output.WriteLine($"{roundTripsWhileSending} echo round trips while {senders} threads sent {senders * callbacksPerSender} callbacks");
    }
}

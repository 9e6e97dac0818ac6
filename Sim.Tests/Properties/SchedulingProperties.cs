using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Sim.Core;
using Sim.Net;
using Sim.Tests.Infrastructure;

namespace Sim.Tests.Properties;

/// <summary>
/// Random schedules of <c>CallSoon</c>, <c>CallLater</c>, <c>CallAt</c> and cancellations, some
/// made before the loop runs and some from inside callbacks, checked against the loop's contract:
/// every callback runs at most once, never before its deadline, cancelled ones never, all the
/// others exactly once, timers in (deadline, sequence) order, and the whole run in exactly the
/// order of a reference model of the five phases of an iteration (docs/loop.md).
/// </summary>
[Trait("Category", "Property")]
public sealed class SchedulingProperties
{
    // Far beyond any deadline a schedule can reach (at most 40 operations of at most 20 ms each),
    // so the timer that stops the loop runs alone, after everything else.
    private const long StopAtNs = 3600L * 1_000_000_000;

    [Property(MaxTest = 300)]
    public Property RandomSchedule_Run_MatchesReferenceModelOfTheIteration() =>
        Prop.ForAll(ScheduleArbitrary(), schedule =>
        {
            var actual = RunOnLoop(schedule);
            var expected = ReferenceModel.Execute(schedule);
            Assert.Equal(expected.Runs, actual.Runs);
        });

    [Property(MaxTest = 300)]
    public Property RandomSchedule_RunWithoutTracer_MatchesReferenceModelOfTheIteration() =>
        Prop.ForAll(ScheduleArbitrary(), schedule =>
        {
            // Without a tracer or debug mode the loop runs its batch on a faster path: same contract.
            var actual = RunOnLoop(schedule, traced: false);
            var expected = ReferenceModel.Execute(schedule);
            Assert.Equal(expected.Runs, actual.Runs);
        });

    [Property(MaxTest = 300)]
    public Property RandomSchedule_Run_EachCallbackAtMostOnceNeverBeforeItsDeadline() =>
        Prop.ForAll(ScheduleArbitrary(), schedule =>
        {
            var outcome = RunOnLoop(schedule);
            Assert.Equal(outcome.Runs.Count, outcome.Runs.Select(run => run.Id).Distinct().Count());
            foreach (var run in outcome.Runs)
                Assert.True(run.TimeNs >= outcome.DeadlineNs[run.Id], $"op {run.Id} ran at {run.TimeNs} ns, before its deadline {outcome.DeadlineNs[run.Id]} ns");
        });

    [Property(MaxTest = 300)]
    public Property RandomSchedule_Run_CancelledNeverOthersExactlyOnce() =>
        Prop.ForAll(ScheduleArbitrary(), schedule =>
        {
            var outcome = RunOnLoop(schedule);
            var ran = outcome.Runs.Select(run => run.Id).ToHashSet();
            foreach (var id in outcome.Scheduled)
            {
                if (outcome.CancelledBeforeRun.Contains(id))
                    Assert.DoesNotContain(id, ran);
                else
                    Assert.Contains(id, ran);
            }
            Assert.Subset(outcome.Scheduled.ToHashSet(), ran);
        });

    [Property(MaxTest = 300)]
    public Property RandomSchedule_TimersPendingTogether_RunInDeadlineThenSequenceOrder() =>
        Prop.ForAll(ScheduleArbitrary(), schedule =>
        {
            // The timers scheduled before the loop starts all sit in the heap together, so
            // whatever else happens they must come out in (deadline, sequence) order.
            var outcome = RunOnLoop(schedule);
            var topLevelTimers = outcome.Runs
                .Where(run => schedule.Ops[run.Id].Parent < 0 && schedule.Ops[run.Id].Kind != OpKind.Soon)
                .Select(run => run.Id)
                .ToList();
            var sorted = topLevelTimers.OrderBy(id => outcome.DeadlineNs[id]).ThenBy(id => id).ToList();
            Assert.Equal(sorted, topLevelTimers);
        });

    [Property(MaxTest = 300)]
    public Property RandomSchedule_CallSoonFromOneCallback_RunsInFifoOrderInTheNextIteration() =>
        Prop.ForAll(ScheduleArbitrary(), schedule =>
        {
            var outcome = RunOnLoop(schedule);
            var position = outcome.Runs.Select((run, index) => (run.Id, index)).ToDictionary(p => p.Id, p => p.index);
            foreach (var group in schedule.Ops.Select((op, id) => (op, id)).Where(p => p.op.Kind == OpKind.Soon).GroupBy(p => p.op.Parent))
            {
                var ranInOrder = group.Where(p => position.ContainsKey(p.id)).Select(p => position[p.id]).ToList();
                Assert.Equal(ranInOrder.Order().ToList(), ranInOrder);
                // Scheduled at time t, a CallSoon callback runs at time t: time only moves when nothing is ready.
                foreach (var (_, id) in group.Where(p => position.ContainsKey(p.id)))
                    Assert.Equal(outcome.DeadlineNs[id], outcome.Runs[position[id]].TimeNs);
            }
        });

    private static Outcome RunOnLoop(Schedule schedule, bool traced = true)
    {
        var loop = traced
            ? TestLoops.NewLoop()
            : new Simulation(1, new SimulationOptions { TraceCallbacks = false, Log = TextWriter.Null }).Loop;
        var outcome = new Outcome();
        var handles = new Handle?[schedule.Ops.Count];
        var timers = new TimerHandle?[schedule.Ops.Count];
        var children = schedule.ChildrenOf();

        void Perform(int id)
        {
            var op = schedule.Ops[id];
            switch (op.Kind)
            {
                case OpKind.Soon:
                    outcome.DeadlineNs[id] = loop.TimeNs();
                    outcome.Scheduled.Add(id);
                    handles[id] = loop.CallSoon(() => Ran(id));
                    break;
                case OpKind.Later:
                    outcome.DeadlineNs[id] = loop.TimeNs() + op.Milliseconds * 1_000_000L;
                    outcome.Scheduled.Add(id);
                    timers[id] = loop.CallLater(op.Milliseconds / 1000.0, () => Ran(id));
                    break;
                case OpKind.At:
                    outcome.DeadlineNs[id] = op.Milliseconds * 1_000_000L;
                    outcome.Scheduled.Add(id);
                    timers[id] = loop.CallAt(op.Milliseconds / 1000.0, () => Ran(id));
                    break;
                case OpKind.Cancel:
                    // Cancelling what already ran, or was never scheduled, changes nothing.
                    if (op.Target < 0)
                        break;
                    if (outcome.Scheduled.Contains(op.Target) && !outcome.RanIds.Contains(op.Target))
                        outcome.CancelledBeforeRun.Add(op.Target);
                    handles[op.Target]?.Cancel();
                    timers[op.Target]?.Cancel();
                    break;
            }
        }

        void Ran(int id)
        {
            outcome.Runs.Add(new Run(id, loop.TimeNs()));
            outcome.RanIds.Add(id);
            foreach (var child in children[id])
                Perform(child);
        }

        foreach (var id in children[Schedule.TopLevel])
            Perform(id);
        loop.CallAt(StopAtNs / 1e9, loop.Stop);
        loop.RunForever();
        Assert.Equal(StopAtNs, loop.TimeNs());
        loop.Close();
        return outcome;
    }

    private static Arbitrary<Schedule> ScheduleArbitrary() => Arb.From(ScheduleGenerator(), Schedule.Shrink);

    private static Gen<Schedule> ScheduleGenerator() =>
        Gen.Sized(size => Gen.Choose(1, Math.Clamp(size, 1, 40)))
            .SelectMany(count => Gen.CollectToList(Enumerable.Range(0, count), OpGenerator))
            .Select(ops => new Schedule(ops));

    /// <summary>Operation <paramref name="index"/> of a schedule: its parent (-1 for before the
    /// loop runs, else an earlier operation from whose callback it is made) and what it does.
    /// Small deadlines make ties between timers common.</summary>
    private static Gen<Op> OpGenerator(int index)
    {
        var parent = index == 0 ? Gen.Constant(-1) : Gen.Frequency((1, Gen.Constant(-1)), (2, Gen.Choose(0, index - 1)));
        var milliseconds = Gen.Elements(0, 0, 1, 2, 3, 5, 10, 20);
        var kind = Gen.Frequency(
            (3, Gen.Constant(OpKind.Soon)),
            (3, Gen.Constant(OpKind.Later)),
            (2, Gen.Constant(OpKind.At)),
            (2, Gen.Constant(OpKind.Cancel)));
        var target = index == 0 ? Gen.Constant(-1) : Gen.Choose(0, index - 1);
        return from p in parent
               from k in kind
               from ms in milliseconds
               from t in target
               select new Op(p, k, k == OpKind.Cancel || k == OpKind.Soon ? 0 : ms, k == OpKind.Cancel ? t : -1);
    }

    internal enum OpKind
    {
        Soon,
        Later,
        At,
        Cancel,
    }

    /// <summary>One operation: schedule a callback (CallSoon, CallLater(ms), CallAt(ms)) or cancel
    /// operation <see cref="Target"/>'s callback; made before the run when <see cref="Parent"/>
    /// is -1, else from inside the callback of operation <see cref="Parent"/>.</summary>
    internal sealed record Op(int Parent, OpKind Kind, int Milliseconds, int Target)
    {
        public override string ToString() => Kind switch
        {
            OpKind.Soon => $"[{Parent}] Soon",
            OpKind.Cancel => $"[{Parent}] Cancel({Target})",
            _ => $"[{Parent}] {Kind}({Milliseconds} ms)",
        };
    }

    internal sealed record Schedule(IReadOnlyList<Op> Ops)
    {
        public const int TopLevel = -1;

        /// <summary>For each operation (and for <see cref="TopLevel"/>), the operations its callback makes, in order.</summary>
        public Dictionary<int, List<int>> ChildrenOf()
        {
            var children = Enumerable.Range(-1, Ops.Count + 1).ToDictionary(id => id, _ => new List<int>());
            for (var id = 0; id < Ops.Count; id++)
                children[Ops[id].Parent].Add(id);
            return children;
        }

        /// <summary>Shrinks by removing one operation: its children move to its parent, and a
        /// cancellation of it becomes a cancellation of nothing.</summary>
        public static IEnumerable<Schedule> Shrink(Schedule schedule)
        {
            for (var removed = schedule.Ops.Count - 1; removed >= 0; removed--)
            {
                var ops = new List<Op>();
                for (var id = 0; id < schedule.Ops.Count; id++)
                {
                    if (id == removed)
                        continue;
                    var op = schedule.Ops[id];
                    var parent = op.Parent == removed ? schedule.Ops[removed].Parent : op.Parent;
                    var target = op.Target == removed ? -1 : op.Target;
                    ops.Add(op with { Parent = Renumber(parent, removed), Target = Renumber(target, removed) });
                }
                yield return new Schedule(ops);
            }
        }

        private static int Renumber(int id, int removed) => id > removed ? id - 1 : id;

        public override string ToString() => string.Join("; ", Ops.Select((op, id) => $"{id}:{op}"));
    }

    internal readonly record struct Run(int Id, long TimeNs);

    private sealed class Outcome
    {
        public List<Run> Runs { get; } = [];

        public HashSet<int> RanIds { get; } = [];

        public List<int> Scheduled { get; } = [];

        public HashSet<int> CancelledBeforeRun { get; } = [];

        public Dictionary<int, long> DeadlineNs { get; } = [];
    }

    /// <summary>
    /// An executable specification of an iteration on a virtual clock, written from docs/loop.md
    /// and nothing else: when nothing is ready, time jumps to the earliest live timer; every timer
    /// due by then joins the ready queue in (deadline, sequence) order after the callbacks already
    /// there; exactly the callbacks ready at the start of the phase run, cancelled ones skipped.
    /// </summary>
    private static class ReferenceModel
    {
        public static (List<Run> Runs, long EndNs) Execute(Schedule schedule)
        {
            var children = schedule.ChildrenOf();
            var now = 0L;
            var sequence = 0L;
            var ready = new Queue<int>();
            var timers = new List<(long WhenNs, long Sequence, int Id)>();
            var scheduled = new HashSet<int>();
            var cancelled = new HashSet<int>();
            var runs = new List<Run>();
            const int stopId = int.MaxValue;
            var stopping = false;

            void Perform(int id)
            {
                var op = schedule.Ops[id];
                switch (op.Kind)
                {
                    case OpKind.Soon:
                        scheduled.Add(id);
                        ready.Enqueue(id);
                        break;
                    case OpKind.Later:
                        scheduled.Add(id);
                        timers.Add((now + op.Milliseconds * 1_000_000L, sequence++, id));
                        break;
                    case OpKind.At:
                        scheduled.Add(id);
                        timers.Add((op.Milliseconds * 1_000_000L, sequence++, id));
                        break;
                    case OpKind.Cancel:
                        if (op.Target >= 0 && scheduled.Contains(op.Target))
                            cancelled.Add(op.Target);
                        break;
                }
            }

            foreach (var id in children[Schedule.TopLevel])
                Perform(id);
            timers.Add((StopAtNs, sequence++, stopId));
            while (!stopping)
            {
                if (ready.Count == 0)
                {
                    var live = timers.Where(t => !cancelled.Contains(t.Id)).ToList();
                    Assert.NotEmpty(live);
                    now = Math.Max(now, live.Min(t => t.WhenNs));
                }
                foreach (var due in timers.Where(t => t.WhenNs <= now).OrderBy(t => t.WhenNs).ThenBy(t => t.Sequence).ToList())
                {
                    timers.Remove(due);
                    ready.Enqueue(due.Id);
                }
                for (var todo = ready.Count; todo > 0; todo--)
                {
                    var id = ready.Dequeue();
                    if (id == stopId)
                    {
                        stopping = true;
                        continue;
                    }
                    if (cancelled.Contains(id))
                        continue;
                    // Once run, a callback can no longer be cancelled.
                    scheduled.Remove(id);
                    runs.Add(new Run(id, now));
                    foreach (var child in children[id])
                        Perform(child);
                }
            }
            return (runs, now);
        }
    }
}

using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Sim.Core;
using Sim.Tests.Infrastructure;

namespace Sim.Tests.Properties;

/// <summary>
/// Semaphores (bounded and not) and locks under random arrivals of tasks that acquire, hold for
/// a few iterations and release, task cancellations (while waiting, right after being woken, or
/// while holding) and loop iterations: the number of holders never exceeds the units there are,
/// a bounded semaphore's count never exceeds its bound, tasks that had to wait get in strictly
/// in arrival order, every task ends (no lost wake-up), and every unit is back at the end.
/// </summary>
[Trait("Category", "Property")]
public sealed class SemaphoreProperties
{
    [Property(MaxTest = 500)]
    public Property RandomAcquiresAndCancellations_BoundedSemaphore_NeverAboveItsBoundAndWaitersServedFifo() =>
        Prop.ForAll(ScriptArbitrary(), script => new SemaphoreRun(PrimitiveKind.BoundedSemaphore, script).Execute());

    [Property(MaxTest = 500)]
    public Property RandomAcquiresAndCancellations_Semaphore_HoldersNeverExceedUnitsAndWaitersServedFifo() =>
        Prop.ForAll(ScriptArbitrary(), script => new SemaphoreRun(PrimitiveKind.Semaphore, script).Execute());

    [Property(MaxTest = 500)]
    public Property RandomAcquiresAndCancellations_Lock_OneHolderAtATimeAndWaitersServedFifo() =>
        Prop.ForAll(ScriptArbitrary(), script => new SemaphoreRun(PrimitiveKind.Lock, script).Execute());

    internal enum PrimitiveKind
    {
        BoundedSemaphore,
        Semaphore,
        Lock,
    }

    internal enum OpKind
    {
        /// <summary>A task that acquires, holds for <c>Argument</c> iterations, and releases.</summary>
        Spawn,
        /// <summary>Cancels the pending task number <c>Argument</c>, oldest first (modulo their count).</summary>
        Cancel,
        /// <summary>Releases once, then cancels the oldest pending task: the race between a wake-up
        /// and a cancellation. (The release is an extra unit for an unbounded semaphore; the
        /// others skip it.)</summary>
        ReleaseThenCancelOldest,
        /// <summary>Lets the loop run <c>Argument</c> iterations.</summary>
        Iterate,
    }

    internal sealed record Op(OpKind Kind, int Argument)
    {
        public override string ToString() => $"{Kind}({Argument})";
    }

    internal sealed record Script(int Units, IReadOnlyList<Op> Ops)
    {
        public static IEnumerable<Script> Shrink(Script script)
        {
            for (var removed = script.Ops.Count - 1; removed >= 0; removed--)
                yield return script with { Ops = script.Ops.Where((_, index) => index != removed).ToList() };
            if (script.Units > 1)
                yield return script with { Units = script.Units - 1 };
        }

        public override string ToString() => $"units={Units}: {string.Join(", ", Ops)}";
    }

    private static Arbitrary<Script> ScriptArbitrary() => Arb.From(
        from units in Gen.Choose(1, 3)
        from count in Gen.Sized(size => Gen.Choose(0, Math.Clamp(size, 1, 30)))
        from ops in Gen.ListOf(OpGenerator(), count)
        select new Script(units, ops),
        Script.Shrink);

    private static Gen<Op> OpGenerator() =>
        Gen.Frequency(
            (5, Gen.Choose(0, 2).Select(hold => new Op(OpKind.Spawn, hold))),
            (2, Gen.Choose(0, 3).Select(task => new Op(OpKind.Cancel, task))),
            (2, Gen.Constant(new Op(OpKind.ReleaseThenCancelOldest, 0))),
            (4, Gen.Choose(1, 3).Select(iterations => new Op(OpKind.Iterate, iterations))));

    private sealed class SemaphoreRun(PrimitiveKind kind, Script script)
    {
        private readonly LoopSemaphore? _semaphore = kind switch
        {
            PrimitiveKind.BoundedSemaphore => new LoopBoundedSemaphore(script.Units),
            PrimitiveKind.Semaphore => new LoopSemaphore(script.Units),
            _ => null,
        };
        private readonly LoopLock? _lock = kind == PrimitiveKind.Lock ? new LoopLock() : null;
        private readonly List<LoopTask<Unit>> _tasks = [];
        private readonly List<int> _servedWaiters = [];
        private int _units;
        private int _holders;
        private int _arrivals;

        public void Execute()
        {
            _units = kind == PrimitiveKind.Lock ? 1 : script.Units;
            var loop = TestLoops.NewLoop();
            loop.RunUntilComplete(Drive());
            loop.Close();
        }

        private bool Locked() => _lock?.Locked() ?? _semaphore!.Locked();

        private Coroutine<bool> Acquire() => _lock?.Acquire() ?? _semaphore!.Acquire();

        private void Release()
        {
            if (_lock is not null)
                _lock.Release();
            else
                _semaphore!.Release();
        }

        private async Coroutine Drive()
        {
            var loop = Asyncio.GetRunningLoop();
            foreach (var op in script.Ops)
            {
                switch (op.Kind)
                {
                    case OpKind.Spawn:
                        _tasks.Add(loop.CreateTask(Holder(op.Argument)));
                        break;
                    case OpKind.Cancel:
                        CancelPending(op.Argument);
                        break;
                    case OpKind.ReleaseThenCancelOldest:
                        if (kind == PrimitiveKind.Semaphore)
                        {
                            _units++;
                            Release();
                        }
                        CancelPending(0);
                        break;
                    case OpKind.Iterate:
                        for (var i = 0; i < op.Argument; i++)
                            await Asyncio.Yield();
                        break;
                }
                CheckCounts();
            }
            await Settle();
        }

        private void CancelPending(int index)
        {
            var pending = _tasks.Where(task => !task.Done).ToList();
            if (pending.Count > 0)
                pending[index % pending.Count].Cancel();
        }

        /// <summary>Every task ends on its own (holds are finite, so a waiter whose turn is lost
        /// would wait for ever), then every unit is free again and nobody waits.</summary>
        private async Coroutine Settle()
        {
            for (var i = 0; i < 10_000 && _tasks.Any(task => !task.Done); i++)
            {
                await Asyncio.Yield();
                CheckCounts();
            }
            Assert.All(_tasks, task => Assert.True(task.Done, "a task still waits although every holder has released"));
            Assert.Equal(0, _holders);
            Assert.False(Locked());
            if (_semaphore is not null)
                Assert.Equal(_units, _semaphore.Value);
            for (var i = 1; i < _servedWaiters.Count; i++)
                Assert.True(_servedWaiters[i - 1] < _servedWaiters[i], $"waiters served out of arrival order: {string.Join(", ", _servedWaiters)}");
        }

        private async Coroutine Holder(int holdIterations)
        {
            // The acquire waits exactly when the primitive is locked as it starts: then this task
            // takes a place in line, and must be served after every task that queued before it.
            int? arrival = Locked() ? _arrivals++ : null;
            await Acquire();
            if (arrival is { } position)
                _servedWaiters.Add(position);
            _holders++;
            CheckCounts();
            try
            {
                for (var i = 0; i < holdIterations; i++)
                    await Asyncio.Yield();
            }
            finally
            {
                _holders--;
                Release();
                CheckCounts();
            }
        }

        private void CheckCounts()
        {
            Assert.True(_holders <= _units, $"{_holders} holders, {_units} units");
            if (_semaphore is not null)
            {
                Assert.InRange(_semaphore.Value, 0, _units);
                if (kind == PrimitiveKind.BoundedSemaphore)
                    Assert.True(_semaphore.Value <= script.Units, $"value {_semaphore.Value} above the bound {script.Units}");
            }
            if (_lock is not null && _holders == 1)
                Assert.True(_lock.Locked());
        }
    }
}

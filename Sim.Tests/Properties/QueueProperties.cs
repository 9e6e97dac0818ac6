using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Sim.Core;
using Sim.Tests.Infrastructure;

namespace Sim.Tests.Properties;

/// <summary>
/// Queues under random interleavings of blocking and non-blocking puts and gets, task
/// cancellations, loop iterations and shutdowns, on the simulated loop. Every put and take is
/// logged the moment it happens; replaying the log on a reference model of the queue's order
/// (FIFO, LIFO, or priority with ties in arrival order) must give every take exactly the item
/// the model hands out, and the model must be empty once the queue is drained: no item is lost,
/// duplicated, taken by a cancelled getter or put by a cancelled putter, and the order holds.
/// Every task ends (no lost wake-up) and <c>Join</c> returns once every take is marked done.
/// </summary>
[Trait("Category", "Property")]
public sealed class QueueProperties
{
    [Property(MaxTest = 1000)]
    public Property RandomOperationsAndCancellations_FifoQueue_NoItemLostOrDuplicatedInFifoOrder() =>
        Prop.ForAll(ScriptArbitrary(), script => new QueueRun(QueueKind.Fifo, script).Execute());

    [Property(MaxTest = 1000)]
    public Property RandomOperationsAndCancellations_LifoQueue_NoItemLostOrDuplicatedInLifoOrder() =>
        Prop.ForAll(ScriptArbitrary(), script => new QueueRun(QueueKind.Lifo, script).Execute());

    [Property(MaxTest = 1000)]
    public Property RandomOperationsAndCancellations_PriorityQueue_NoItemLostOrDuplicatedInPriorityThenArrivalOrder() =>
        Prop.ForAll(ScriptArbitrary(), script => new QueueRun(QueueKind.Priority, script).Execute());

    internal enum QueueKind
    {
        Fifo,
        Lifo,
        Priority,
    }

    internal enum OpKind
    {
        /// <summary>A task that awaits <c>Get</c>.</summary>
        SpawnGetter,
        /// <summary>A task that awaits <c>Put</c> of a new item.</summary>
        SpawnPutter,
        PutNowait,
        GetNowait,
        /// <summary>Cancels the pending task number <c>Argument</c>, oldest first (modulo their
        /// count): the oldest waiters are the ones a put or get wakes first.</summary>
        Cancel,
        /// <summary>The race asyncio's queue must get right: a put wakes the oldest waiting getter,
        /// which is cancelled in the same iteration, before it could take the item.</summary>
        PutNowaitThenCancelOldestGetter,
        /// <summary>The same race for putters: a get frees a slot, the woken putter is cancelled.</summary>
        GetNowaitThenCancelOldestPutter,
        /// <summary>Lets the loop run <c>Argument</c> iterations.</summary>
        Iterate,
        /// <summary><c>Shutdown(immediate: Argument == 1)</c>.</summary>
        Shutdown,
    }

    /// <summary>One step of the driver; <see cref="Argument"/> is the item's priority, the task to
    /// cancel, the number of iterations, or whether a shutdown is immediate.</summary>
    internal sealed record Op(OpKind Kind, int Argument)
    {
        public override string ToString() => $"{Kind}({Argument})";
    }

    internal sealed record Script(int Maxsize, IReadOnlyList<Op> Ops)
    {
        public static IEnumerable<Script> Shrink(Script script)
        {
            for (var removed = script.Ops.Count - 1; removed >= 0; removed--)
                yield return script with { Ops = script.Ops.Where((_, index) => index != removed).ToList() };
            if (script.Maxsize > 0)
                yield return script with { Maxsize = script.Maxsize - 1 };
        }

        public override string ToString() => $"maxsize={Maxsize}: {string.Join(", ", Ops)}";
    }

    private static Arbitrary<Script> ScriptArbitrary() => Arb.From(
        from maxsize in Gen.Choose(0, 3)
        from count in Gen.Sized(size => Gen.Choose(0, Math.Clamp(size, 1, 30)))
        from ops in Gen.ListOf(OpGenerator(), count)
        select new Script(maxsize, ops),
        Script.Shrink);

    private static Gen<Op> OpGenerator() =>
        Gen.Frequency(
            (4, Gen.Choose(0, 3).Select(priority => new Op(OpKind.SpawnGetter, priority))),
            (4, Gen.Choose(0, 3).Select(priority => new Op(OpKind.SpawnPutter, priority))),
            (3, Gen.Choose(0, 3).Select(priority => new Op(OpKind.PutNowait, priority))),
            (2, Gen.Constant(new Op(OpKind.GetNowait, 0))),
            (2, Gen.Choose(0, 3).Select(priority => new Op(OpKind.PutNowaitThenCancelOldestGetter, priority))),
            (2, Gen.Constant(new Op(OpKind.GetNowaitThenCancelOldestPutter, 0))),
            (3, Gen.Choose(0, 3).Select(task => new Op(OpKind.Cancel, task))),
            (4, Gen.Choose(1, 3).Select(iterations => new Op(OpKind.Iterate, iterations))),
            (1, Gen.Choose(0, 1).Select(immediate => new Op(OpKind.Shutdown, immediate))));

    /// <summary>An item: its priority (used by the priority queue only) and a unique id.</summary>
    internal sealed record Item(int Priority, int Id);

    private sealed class ByPriority : IComparer<Item>
    {
        public static readonly ByPriority Instance = new();

        public int Compare(Item? x, Item? y) => x!.Priority.CompareTo(y!.Priority);
    }

    /// <summary>What happened to the queue, in the order it happened.</summary>
    private readonly record struct Event(EventKind Kind, Item? Item);

    private enum EventKind
    {
        Put,
        Take,
        /// <summary><c>Shutdown(immediate: true)</c> dropped every item left.</summary>
        DropAll,
    }

    private sealed class QueueRun(QueueKind kind, Script script)
    {
        private readonly LoopQueue<Item> _queue = kind switch
        {
            QueueKind.Fifo => new LoopQueue<Item>(script.Maxsize),
            QueueKind.Lifo => new LoopLifoQueue<Item>(script.Maxsize),
            _ => new LoopPriorityQueue<Item>(script.Maxsize, ByPriority.Instance),
        };
        private readonly List<Event> _log = [];
        private readonly List<LoopTask<Unit>> _tasks = [];
        private readonly List<LoopTask<Unit>> _getters = [];
        private readonly List<LoopTask<Unit>> _putters = [];
        private int _nextId;

        public void Execute()
        {
            var loop = TestLoops.NewLoop();
            loop.RunUntilComplete(Drive());
            loop.Close();
            Replay();
        }

        private async Coroutine Drive()
        {
            var loop = Asyncio.GetRunningLoop();
            foreach (var op in script.Ops)
            {
                switch (op.Kind)
                {
                    case OpKind.SpawnGetter:
                        var getter = loop.CreateTask(Getter());
                        _tasks.Add(getter);
                        _getters.Add(getter);
                        break;
                    case OpKind.SpawnPutter:
                        var putter = loop.CreateTask(Putter(NewItem(op.Argument)));
                        _tasks.Add(putter);
                        _putters.Add(putter);
                        break;
                    case OpKind.PutNowait:
                        TryPutNowait(NewItem(op.Argument));
                        break;
                    case OpKind.GetNowait:
                        TryGetNowait();
                        break;
                    case OpKind.Cancel:
                        var pending = _tasks.Where(task => !task.Done).ToList();
                        if (pending.Count > 0)
                            pending[op.Argument % pending.Count].Cancel();
                        break;
                    case OpKind.PutNowaitThenCancelOldestGetter:
                        TryPutNowait(NewItem(op.Argument));
                        _getters.FirstOrDefault(task => !task.Done)?.Cancel();
                        break;
                    case OpKind.GetNowaitThenCancelOldestPutter:
                        TryGetNowait();
                        _putters.FirstOrDefault(task => !task.Done)?.Cancel();
                        break;
                    case OpKind.Iterate:
                        for (var i = 0; i < op.Argument; i++)
                            await Asyncio.Yield();
                        break;
                    case OpKind.Shutdown:
                        var dropped = op.Argument == 1 && !_queue.Empty();
                        _queue.Shutdown(immediate: op.Argument == 1);
                        if (dropped)
                            _log.Add(new Event(EventKind.DropAll, null));
                        break;
                }
            }
            await Settle();
        }

        /// <summary>Lets the loop run until nothing changes, checks that only tasks with nothing to
        /// take or no slot to fill still wait (no lost wake-up), cancels them, drains the queue,
        /// and checks that Join returns.</summary>
        private async Coroutine Settle()
        {
            var quiet = 0;
            for (var i = 0; quiet < 2 && i < 10_000; i++)
            {
                var before = _log.Count + _tasks.Count(task => task.Done);
                await Asyncio.Yield();
                quiet = _log.Count + _tasks.Count(task => task.Done) == before ? quiet + 1 : 0;
            }
            if (_getters.Any(task => !task.Done))
                Assert.True(_queue.Empty(), $"a getter still waits while the queue holds {_queue.Qsize()} items");
            if (_putters.Any(task => !task.Done))
                Assert.True(_queue.Full(), "a putter still waits while the queue has room");
            foreach (var task in _tasks)
                task.Cancel();
            foreach (var task in _tasks)
            {
                try
                {
                    await task;
                }
                catch (CancelledError)
                {
                    // Its put or get did not happen; the replay checks that.
                }
            }
            while (!_queue.Empty())
                TryGetNowait();
            await _queue.Join();
            Assert.DoesNotContain("_getters", _queue.ToString(), StringComparison.Ordinal);
            Assert.DoesNotContain("_putters", _queue.ToString(), StringComparison.Ordinal);
        }

        private Item NewItem(int priority) => new(priority, _nextId++);

        private async Coroutine Getter()
        {
            Item item;
            try
            {
                item = await _queue.Get();
            }
            catch (QueueShutDownException)
            {
                Assert.True(_queue.IsShutdown && _queue.Empty());
                return;
            }
            Took(item);
        }

        private async Coroutine Putter(Item item)
        {
            try
            {
                await _queue.Put(item);
            }
            catch (QueueShutDownException)
            {
                Assert.True(_queue.IsShutdown);
                return;
            }
            _log.Add(new Event(EventKind.Put, item));
        }

        private void TryPutNowait(Item item)
        {
            if (_queue.IsShutdown)
            {
                Assert.Throws<QueueShutDownException>(() => _queue.PutNowait(item));
            }
            else if (_queue.Full())
            {
                Assert.Throws<QueueFullException>(() => _queue.PutNowait(item));
            }
            else
            {
                _queue.PutNowait(item);
                _log.Add(new Event(EventKind.Put, item));
            }
        }

        private void TryGetNowait()
        {
            if (_queue.Empty())
            {
                if (_queue.IsShutdown)
                    Assert.Throws<QueueShutDownException>(() => _queue.GetNowait());
                else
                    Assert.Throws<QueueEmptyException>(() => _queue.GetNowait());
                return;
            }
            Took(_queue.GetNowait());
        }

        private void Took(Item item)
        {
            _log.Add(new Event(EventKind.Take, item));
            _queue.TaskDone();
        }

        /// <summary>Replays the log on the reference model of the queue's order.</summary>
        private void Replay()
        {
            var model = new List<(Item Item, int Arrival)>();
            var arrival = 0;
            foreach (var entry in _log)
            {
                switch (entry.Kind)
                {
                    case EventKind.Put:
                        Assert.DoesNotContain(model, queued => queued.Item.Id == entry.Item!.Id);
                        model.Add((entry.Item!, arrival++));
                        Assert.True(script.Maxsize <= 0 || model.Count <= script.Maxsize, $"the queue held {model.Count} items, more than maxsize {script.Maxsize}");
                        break;
                    case EventKind.Take:
                        Assert.NotEmpty(model);
                        var next = NextIndex(model);
                        Assert.Equal(model[next].Item, entry.Item);
                        model.RemoveAt(next);
                        break;
                    default:
                        model.Clear();
                        break;
                }
            }
            Assert.Empty(model);
        }

        private int NextIndex(List<(Item Item, int Arrival)> model)
        {
            switch (kind)
            {
                case QueueKind.Fifo:
                    return 0;
                case QueueKind.Lifo:
                    return model.Count - 1;
                default:
                    var best = 0;
                    for (var i = 1; i < model.Count; i++)
                    {
                        // Lowest priority first; among equals, the earliest arrival (model order).
                        if (model[i].Item.Priority < model[best].Item.Priority)
                            best = i;
                    }
                    return best;
            }
        }
    }
}

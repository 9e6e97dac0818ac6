using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Sim.Core;
using Sim.Net;
using Sim.Tests.Infrastructure;

namespace Sim.Tests.Properties;

/// <summary>
/// The future's state machine under random sequences of SetResult, SetException, Cancel,
/// AddDoneCallback and RemoveDoneCallback, split into loop iterations: the first completion
/// wins, later ones raise (Cancel returns false), the observers agree with the state, and every
/// callback still registered at completion (or added afterwards) runs exactly once, through the
/// loop, in registration order, never inline.
/// </summary>
[Trait("Category", "Property")]
public sealed class FutureProperties
{
    private const int CallbackKinds = 3;

    [Property(MaxTest = 500)]
    public Property RandomOperations_OnFuture_FollowTheStateMachine() =>
        Prop.ForAll(Arb.From(Gen.ListOf(OpGenerator()).Select(ops => new Script(ops)), Script.Shrink), script =>
        {
            new FutureRun(script, TestLoops.NewLoop()).Execute();
        });

    [Property(MaxTest = 200)]
    public Property RandomOperations_OnFutureOfUntracedLoop_FollowTheStateMachine() =>
        Prop.ForAll(Arb.From(Gen.ListOf(OpGenerator()).Select(ops => new Script(ops)), Script.Shrink), script =>
        {
            // Without a tracer or debug mode the loop runs its batch on a faster path: same contract.
            var loop = new Simulation(1, new SimulationOptions { TraceCallbacks = false, Log = TextWriter.Null }).Loop;
            new FutureRun(script, loop).Execute();
        });

    [Property(MaxTest = 200)]
    public Property AnyCompletion_AfterTheFirst_RaisesAndLeavesTheOutcome() =>
        Prop.ForAll(Arb.From(Gen.NonEmptyListOf(Gen.Elements(OpKind.SetResult, OpKind.SetException, OpKind.Cancel))), kinds =>
        {
            var loop = TestLoops.NewLoop();
            var future = loop.CreateFuture<int>();
            var error = new InvalidTimeZoneException("first");
            Complete(future, kinds[0], 1, error);
            var state = future.State;
            foreach (var kind in kinds.Skip(1))
            {
                switch (kind)
                {
                    case OpKind.SetResult:
                        Assert.Throws<InvalidStateException>(() => future.SetResult(2));
                        break;
                    case OpKind.SetException:
                        Assert.Throws<InvalidStateException>(() => future.SetException(new InvalidTimeZoneException("later")));
                        break;
                    default:
                        Assert.False(future.Cancel("later"));
                        break;
                }
                Assert.Equal(state, future.State);
            }
            switch (kinds[0])
            {
                case OpKind.SetResult:
                    Assert.Equal(1, future.Result());
                    break;
                case OpKind.SetException:
                    Assert.Same(error, Assert.Throws<InvalidTimeZoneException>(() => future.Result()));
                    break;
                default:
                    Assert.Equal("first", Assert.Throws<CancelledError>(() => future.Result()).CancelMessage);
                    break;
            }
        });

    private static void Complete(Future<int> future, OpKind kind, int value, Exception error)
    {
        switch (kind)
        {
            case OpKind.SetResult:
                future.SetResult(value);
                break;
            case OpKind.SetException:
                future.SetException(error);
                break;
            default:
                Assert.True(future.Cancel("first"));
                break;
        }
    }

    private static Gen<Op> OpGenerator() =>
        Gen.Frequency(
            (2, Gen.Choose(0, 99).Select(value => new Op(OpKind.SetResult, value))),
            (1, Gen.Choose(0, 99).Select(value => new Op(OpKind.SetException, value))),
            (1, Gen.Choose(0, 99).Select(value => new Op(OpKind.Cancel, value))),
            (4, Gen.Choose(0, CallbackKinds - 1).Select(callback => new Op(OpKind.AddDoneCallback, callback))),
            (2, Gen.Choose(0, CallbackKinds - 1).Select(callback => new Op(OpKind.RemoveDoneCallback, callback))),
            (2, Gen.Constant(new Op(OpKind.Iterate, 0))));

    internal enum OpKind
    {
        SetResult,
        SetException,
        Cancel,
        AddDoneCallback,
        RemoveDoneCallback,
        /// <summary>Ends the current loop callback: the rest of the script runs in a later iteration.</summary>
        Iterate,
    }

    /// <summary>One operation; <see cref="Argument"/> is the value, exception tag or cancel-message
    /// tag of a completion, or which of the callbacks to add or remove.</summary>
    internal sealed record Op(OpKind Kind, int Argument)
    {
        public override string ToString() => $"{Kind}({Argument})";
    }

    internal sealed record Script(IReadOnlyList<Op> Ops)
    {
        public static IEnumerable<Script> Shrink(Script script)
        {
            for (var removed = script.Ops.Count - 1; removed >= 0; removed--)
                yield return new Script(script.Ops.Where((_, index) => index != removed).ToList());
        }

        public override string ToString() => string.Join(", ", Ops);
    }

    /// <summary>
    /// Runs a script on a loop, one segment (the operations between two <see cref="OpKind.Iterate"/>)
    /// per loop callback, each segment scheduling the next with CallSoon, and checks every step
    /// against a model: the state, the outcome, and which callbacks run, in which segment, in
    /// which order.
    /// </summary>
    private sealed class FutureRun
    {
        private readonly Script _script;
        private readonly EventLoop _loop;
        private readonly Future<int> _future;
        private readonly Action<Future<int>>[] _callbacks = new Action<Future<int>>[CallbackKinds];
        private readonly List<(int Callback, int Segment)> _invocations = [];

        // The model.
        private readonly List<int> _registered = [];
        private readonly List<(int Callback, int Segment)> _expectedInvocations = [];
        private readonly List<int> _scheduledThisSegment = [];
        private readonly Dictionary<int, Exception> _errors = [];
        private FutureState _state = FutureState.Pending;
        private int _result;
        private Exception? _error;
        private string? _cancelMessage;
        private int _segment;

        public FutureRun(Script script, EventLoop loop)
        {
            _script = script;
            _loop = loop;
            _future = _loop.CreateFuture<int>();
            for (var kind = 0; kind < CallbackKinds; kind++)
            {
                var callback = kind;
                _callbacks[kind] = future =>
                {
                    Assert.Same(_future, future);
                    Assert.True(future.Done, "a done-callback ran before its future was done");
                    _invocations.Add((callback, _segment));
                };
            }
        }

        public void Execute()
        {
            _loop.CallSoon(() => RunSegment(0));
            _loop.RunForever();
            _loop.Close();
            Assert.Equal(_expectedInvocations, _invocations);
        }

        /// <summary>Runs operations from <paramref name="start"/> to the next Iterate, inside a loop callback.</summary>
        private void RunSegment(int start)
        {
            // Whatever the previous segment scheduled has run by now, in scheduling order.
            foreach (var callback in _scheduledThisSegment)
                _expectedInvocations.Add((callback, _segment));
            _scheduledThisSegment.Clear();
            Assert.Equal(_expectedInvocations, _invocations);
            _segment++;
            var index = start;
            for (; index < _script.Ops.Count && _script.Ops[index].Kind != OpKind.Iterate; index++)
            {
                var before = _invocations.Count;
                Apply(_script.Ops[index]);
                Assert.True(before == _invocations.Count, $"a done-callback ran inline during {_script.Ops[index]}");
                CheckObservers();
            }
            if (index < _script.Ops.Count)
                _loop.CallSoon(() => RunSegment(index + 1));
            else
                _loop.CallSoon(Finish);
        }

        private void Finish()
        {
            foreach (var callback in _scheduledThisSegment)
                _expectedInvocations.Add((callback, _segment));
            _scheduledThisSegment.Clear();
            _loop.Stop();
        }

        private void Apply(Op op)
        {
            switch (op.Kind)
            {
                case OpKind.SetResult:
                    if (_state == FutureState.Pending)
                    {
                        _future.SetResult(op.Argument);
                        _state = FutureState.Finished;
                        _result = op.Argument;
                        ScheduleRegistered();
                    }
                    else
                    {
                        Assert.Throws<InvalidStateException>(() => _future.SetResult(op.Argument));
                    }
                    break;
                case OpKind.SetException:
                    var error = _errors.TryGetValue(op.Argument, out var known) ? known : _errors[op.Argument] = new ArithmeticException($"error {op.Argument}");
                    if (_state == FutureState.Pending)
                    {
                        _future.SetException(error);
                        _state = FutureState.Finished;
                        _error = error;
                        ScheduleRegistered();
                    }
                    else
                    {
                        Assert.Throws<InvalidStateException>(() => _future.SetException(error));
                    }
                    break;
                case OpKind.Cancel:
                    var cancelled = _future.Cancel($"message {op.Argument}");
                    Assert.Equal(_state == FutureState.Pending, cancelled);
                    if (cancelled)
                    {
                        _state = FutureState.Cancelled;
                        _cancelMessage = $"message {op.Argument}";
                        ScheduleRegistered();
                    }
                    break;
                case OpKind.AddDoneCallback:
                    _future.AddDoneCallback(_callbacks[op.Argument]);
                    if (_state == FutureState.Pending)
                        _registered.Add(op.Argument);
                    else
                        _scheduledThisSegment.Add(op.Argument);
                    break;
                case OpKind.RemoveDoneCallback:
                    var expectedRemoved = _registered.RemoveAll(callback => callback == op.Argument);
                    Assert.Equal(expectedRemoved, _future.RemoveDoneCallback(_callbacks[op.Argument]));
                    break;
            }
        }

        private void ScheduleRegistered()
        {
            _scheduledThisSegment.AddRange(_registered);
            _registered.Clear();
        }

        private void CheckObservers()
        {
            Assert.Equal(_state, _future.State);
            Assert.Equal(_state != FutureState.Pending, _future.Done);
            Assert.Equal(_state == FutureState.Cancelled, _future.Cancelled);
            switch (_state)
            {
                case FutureState.Pending:
                    Assert.Throws<InvalidStateException>(() => _future.Result());
                    Assert.Throws<InvalidStateException>(() => _future.Exception());
                    break;
                case FutureState.Cancelled:
                    Assert.Equal(_cancelMessage, Assert.Throws<CancelledError>(() => _future.Result()).CancelMessage);
                    Assert.Equal(_cancelMessage, Assert.Throws<CancelledError>(() => _future.Exception()).CancelMessage);
                    break;
                case FutureState.Finished when _error is not null:
                    Assert.Same(_error, Assert.Throws<ArithmeticException>(() => _future.Result()));
                    Assert.Same(_error, _future.Exception());
                    break;
                default:
                    Assert.Equal(_result, _future.Result());
                    Assert.Null(_future.Exception());
                    break;
            }
        }
    }
}

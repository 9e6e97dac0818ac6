using System.Diagnostics;

namespace Sim.Core;

/// <summary>
/// The state of a <see cref="LineWaiter{TResult}"/> (or <see cref="LineWaiter"/>) and the steps
/// they share: the part of CPython's waiter future a line needs (done, cancelled, woken) and the
/// order in which the operation's hooks run.
/// </summary>
internal struct LineWait
{
    private State _state;
    private CancelledError? _cancelledError;

    private enum State : byte
    {
        /// <summary>Not started yet, or running between a resumption and the next wait.</summary>
        Running,
        Waiting,
        Woken,
        Cancelled,
    }

    public readonly bool Done => _state is State.Woken or State.Cancelled;

    public readonly bool Cancelled => _state == State.Cancelled;

    public void Wake(ITaskDriver task)
    {
        Debug.Assert(_state == State.Waiting, "only a waiting waiter can be woken");
        _state = State.Woken;
        task.Wake();
    }

    public bool Cancel(ITaskDriver task, string? message)
    {
        if (_state != State.Waiting)
            return false;
        _state = State.Cancelled;
        _cancelledError = new CancelledError(message);
        task.Wake();
        return true;
    }

    public void EnterLine(WaiterQueue line, ILineWaiter waiter)
    {
        line.Enqueue(waiter);
        _state = State.Waiting;
    }

    /// <summary>One step of the operation; true when it finished (result or error), false when it waits.</summary>
    public bool Step(ILineWaiterSteps steps, ITaskDriver task, ref Exception? error)
    {
        try
        {
            if (_state == State.Running)
                return steps.Begin();
            if (TakeInterruption(task) is { } interruption)
            {
                steps.Abandon();
                error = interruption;
                return true;
            }
            _state = State.Running;
            return steps.Resume();
        }
        catch (Exception thrown)
        {
            error = thrown;
            return true;
        }
        finally
        {
            if (_state != State.Waiting)
                _state = State.Running;
        }
    }

    /// <summary>What to raise at this resumption: the task's cancellation (it was cancelled after
    /// it was woken), or the wait's own; null when the waiter simply got its turn.</summary>
    private Exception? TakeInterruption(ITaskDriver task)
    {
        var interruption = task.TakeThrowOnResume() ?? _cancelledError;
        _cancelledError = null;
        return interruption;
    }

    public readonly override string ToString() => _state.ToString().ToLowerInvariant();
}

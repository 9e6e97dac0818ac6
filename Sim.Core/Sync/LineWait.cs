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

    // The wait's own CancelledError while it stands cancelled, or the failure the operation
    // finished with: never both, since a failure is only reached while running.
    private Exception? _error;

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
        _error = new CancelledError(message);
        task.Wake();
        return true;
    }

    public void EnterLine(WaiterQueue line, ILineWaiter waiter)
    {
        line.Enqueue(waiter);
        _state = State.Waiting;
    }

    /// <summary>The operation finishes with <paramref name="error"/> (its <c>Fail</c>); true.</summary>
    public bool Fail(Exception error)
    {
        _error = error;
        return true;
    }

    /// <summary>One step of the operation; true when it finished (with <paramref name="error"/>
    /// when it failed), false when it waits.</summary>
    public bool Step(ILineWaiterSteps steps, ITaskDriver task, out Exception? error)
    {
        bool finished;
        try
        {
            if (_state == State.Running)
            {
                finished = steps.Begin();
            }
            else if (TakeInterruption(task) is { } interruption)
            {
                _error = interruption;
                steps.Abandon();
                finished = true;
            }
            else
            {
                _state = State.Running;
                finished = steps.Resume();
            }
        }
        catch (Exception thrown)
        {
            _error = thrown;
            finished = true;
        }
        finally
        {
            if (_state != State.Waiting)
                _state = State.Running;
        }
        error = finished ? TakeError() : null;
        return finished;
    }

    /// <summary>What to raise at this resumption: the task's cancellation (it was cancelled after
    /// it was woken), or the wait's own; null when the waiter simply got its turn.</summary>
    private Exception? TakeInterruption(ITaskDriver task)
    {
        var own = TakeError();
        return task.TakeThrowOnResume() ?? own;
    }

    private Exception? TakeError()
    {
        var error = _error;
        _error = null;
        return error;
    }

    public readonly override string ToString() => _state.ToString().ToLowerInvariant();
}

using System.Net;
using System.Net.Sockets;

namespace Sim.Core;

/// <summary>
/// Happy eyeballs (RFC 8305) as asyncio's <c>staggered_race</c> runs it for
/// <c>create_connection</c>: attempt i + 1 starts when attempt i fails or when the delay has
/// passed since attempt i started, whichever comes first. The first attempt to connect wins; the
/// others are cancelled, and their sockets closed. When every attempt fails, the errors are
/// combined in the order the attempts started (<see cref="EventLoop.ConnectionFailure"/>).
/// </summary>
/// <remarks>
/// Only loop timers and done-callbacks drive it, so in simulation the attempts start at exact
/// virtual times. Each attempt is a task, so that cancelling it closes its socket where it waits.
/// </remarks>
internal sealed class StaggeredConnect
{
    private readonly EventLoop _loop;
    private readonly IReadOnlyList<IPEndPoint> _addresses;
    private readonly Func<IPEndPoint, Coroutine<IStreamSocket>> _connect;
    private readonly double _delay;
    private readonly LoopTask<IStreamSocket>?[] _attempts;
    private readonly SocketException?[] _errors;
    private readonly Future<IStreamSocket> _winner;
    private TimerHandle _nextStart;
    private int _started;
    private int _finished;

    public StaggeredConnect(EventLoop loop, IReadOnlyList<IPEndPoint> addresses, Func<IPEndPoint, Coroutine<IStreamSocket>> connect, double delay)
    {
        _loop = loop;
        _addresses = addresses;
        _connect = connect;
        _delay = delay;
        _attempts = new LoopTask<IStreamSocket>?[addresses.Count];
        _errors = new SocketException?[addresses.Count];
        _winner = loop.CreateFuture<IStreamSocket>();
    }

    /// <summary>Runs the race: the winning socket, connected, or the combined error.</summary>
    public async Coroutine<IStreamSocket> Run()
    {
        StartNext();
        try
        {
            return await _winner;
        }
        catch
        {
            // Cancelled from outside (or lost): no attempt may outlive the race, nor a winner
            // whose socket connected after the cancellation was asked for and before this task
            // resumed (the await then raises CancelledError with the socket already won).
            CancelAttempts();
            if (_winner is { Done: true, Cancelled: false } && _winner.Exception() is null)
                _winner.Result().Close();
            throw;
        }
    }

    private void StartNext()
    {
        _nextStart.Cancel();
        if (_winner.Done)
            return;
        if (_started == _addresses.Count)
        {
            CompleteIfAllFailed();
            return;
        }
        var index = _started++;
        var attempt = _loop.CreateTask(_connect(_addresses[index]), $"connect to {_addresses[index]}");
        _attempts[index] = attempt;
        attempt.AddDoneCallback(done => AttemptDone(index, done));
        if (_started < _addresses.Count)
            _nextStart = _loop.CallLater(_delay, StartNext);
    }

    private void AttemptDone(int index, Future<IStreamSocket> attempt)
    {
        _finished++;
        if (attempt.Cancelled)
            return;
        if (attempt.Exception() is { } error)
        {
            if (error is not SocketException socketError)
            {
                // Not a network error: a bug, which the caller must see rather than a fallback.
                if (_winner.Done)
                    return;
                _winner.SetException(error);
                CancelAttempts();
                return;
            }
            _errors[index] = socketError;
            // The latest attempt failed: the next need not wait for the delay.
            if (index == _started - 1)
                StartNext();
            else
                CompleteIfAllFailed();
            return;
        }
        var socket = attempt.Result();
        if (_winner.Done)
        {
            // Connected after another attempt won (or the race was cancelled): not wanted.
            socket.Close();
            return;
        }
        _winner.SetResult(socket);
        CancelAttempts();
    }

    private void CompleteIfAllFailed()
    {
        if (_winner.Done || _started < _addresses.Count || _finished < _started)
            return;
        _winner.SetException(EventLoop.ConnectionFailure(_errors.OfType<SocketException>().ToList()));
    }

    private void CancelAttempts()
    {
        _nextStart.Cancel();
        foreach (var attempt in _attempts)
            attempt?.Cancel();
    }
}

namespace Sim.Core;

/// <summary>
/// A <see cref="TimeProvider"/> on loop time: timestamps are the loop's nanoseconds and timers
/// are loop timers, so .NET code written against <see cref="TimeProvider"/> (Task.Delay,
/// PeriodicTimer, CancellationTokenSource) follows virtual time in simulation.
/// Timer callbacks run on the loop thread.
/// </summary>
internal sealed class LoopTimeProvider(EventLoop loop, DateTimeOffset utcEpoch) : TimeProvider
{
    public override long TimestampFrequency => 1_000_000_000;

    public override long GetTimestamp() => loop.TimeNs();

    public override DateTimeOffset GetUtcNow() => utcEpoch.AddTicks(loop.TimeNs() / 100);

    public override TimeZoneInfo LocalTimeZone => TimeZoneInfo.Utc;

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        ArgumentNullException.ThrowIfNull(callback);
        var timer = new LoopTimer(loop, callback, state);
        timer.Change(dueTime, period);
        return timer;
    }

    /// <summary>A loop timer behind <see cref="ITimer"/>; changes from other threads cross over
    /// with <c>CallSoonThreadsafe</c>.</summary>
    private sealed class LoopTimer(EventLoop loop, TimerCallback callback, object? state) : ITimer
    {
        private TimerHandle? _handle;
        private long _periodNs;
        private bool _disposed;

        public bool Change(TimeSpan dueTime, TimeSpan period)
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(dueTime, Timeout.InfiniteTimeSpan);
            ArgumentOutOfRangeException.ThrowIfLessThan(period, Timeout.InfiniteTimeSpan);
            if (_disposed)
                return false;
            if (loop.IsOnLoopThread || !loop.IsRunning)
                Apply(dueTime, period);
            else
                loop.CallSoonThreadsafe(() => Apply(dueTime, period));
            return true;
        }

        public void Dispose()
        {
            _disposed = true;
            if (loop.IsOnLoopThread || !loop.IsRunning)
                _handle?.Cancel();
            else if (!loop.IsClosed)
                loop.CallSoonThreadsafe(() => _handle?.Cancel());
        }

        public ValueTask DisposeAsync()
        {
            Dispose();
            return ValueTask.CompletedTask;
        }

        private void Apply(TimeSpan dueTime, TimeSpan period)
        {
            _handle?.Cancel();
            _handle = null;
            if (_disposed || dueTime == Timeout.InfiniteTimeSpan || loop.IsClosed)
                return;
            _periodNs = period == Timeout.InfiniteTimeSpan || period == TimeSpan.Zero ? 0 : period.Ticks * 100;
            _handle = loop.CallAtNs(loop.TimeNs() + dueTime.Ticks * 100, static timer => timer.Fire(), this);
        }

        private void Fire()
        {
            _handle = null;
            if (_disposed)
                return;
            if (_periodNs > 0)
                _handle = loop.CallAtNs(loop.TimeNs() + _periodNs, static timer => timer.Fire(), this);
            callback(state);
        }
    }
}

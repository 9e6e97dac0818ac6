namespace Sim.Core;

/// <summary>
/// A callback scheduled for a point in loop time (asyncio's <c>TimerHandle</c>): a small value,
/// so that scheduling a timer allocates nothing. Timers run in (deadline, sequence) order: two
/// timers due at the same instant run in the order they were scheduled.
/// </summary>
/// <remarks>
/// <see cref="Cancelled"/> is exact until the loop has run or discarded the timer; after that the
/// timer's slot is reused and <see cref="Cancelled"/> reads false, and <see cref="Cancel"/> does
/// nothing (asyncio keeps answering true for a handle cancelled before it was discarded).
/// </remarks>
public readonly struct TimerHandle : IEquatable<TimerHandle>
{
    private readonly TimerQueue? _queue;
    private readonly int _id;
    private readonly int _version;

    internal TimerHandle(TimerQueue queue, int id, int version, long whenNs)
    {
        _queue = queue;
        _id = id;
        _version = version;
        WhenNs = whenNs;
    }

    /// <summary>The deadline, in loop nanoseconds.</summary>
    public long WhenNs { get; }

    /// <summary>The deadline, in loop seconds (<see cref="EventLoop.Time"/>'s scale).</summary>
    public double When => WhenNs / 1e9;

    /// <summary>True once <see cref="Cancel"/> was called, while the loop still holds the timer.</summary>
    public bool Cancelled => _queue is not null && _queue.IsCancelled(_id, _version, WhenNs);

    /// <summary>Prevents the callback from running, if it has not run yet.</summary>
    public void Cancel() => _queue?.Cancel(_id, _version, WhenNs);

    /// <inheritdoc/>
    public bool Equals(TimerHandle other) => ReferenceEquals(_queue, other._queue) && _id == other._id && _version == other._version;

    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is TimerHandle other && Equals(other);

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(_queue, _id, _version);

    /// <summary>Whether both handles stand for the same scheduled callback.</summary>
    public static bool operator ==(TimerHandle left, TimerHandle right) => left.Equals(right);

    /// <summary>Whether the handles stand for different scheduled callbacks.</summary>
    public static bool operator !=(TimerHandle left, TimerHandle right) => !left.Equals(right);

    /// <inheritdoc/>
    public override string ToString() => $"<TimerHandle when={When:0.######}{(Cancelled ? " cancelled" : "")}>";
}

namespace Sim.Core;

/// <summary>
/// A callback scheduled with <c>CallSoon</c> (asyncio's <c>Handle</c>). A small value, so that
/// scheduling allocates nothing; cancelling after the callback ran does nothing.
/// </summary>
/// <remarks>
/// <see cref="Cancelled"/> is exact while the callback waits in the ready queue. Once the loop
/// has run or dropped it, the slot is reused and <see cref="Cancelled"/> reads false
/// (asyncio keeps answering true for a handle cancelled after it ran; that is the one place
/// the value type differs).
/// </remarks>
public readonly struct Handle : IEquatable<Handle>
{
    private readonly ICancellable? _target;
    private readonly long _sequence;

    internal Handle(ICancellable target, long sequence)
    {
        _target = target;
        _sequence = sequence;
    }

    /// <summary>Prevents the callback from running, if it has not run yet.</summary>
    public void Cancel() => _target?.Cancel(_sequence);

    /// <summary>True once <see cref="Cancel"/> was called and the callback is still queued.</summary>
    public bool Cancelled => _target is not null && _target.IsCancelled(_sequence);

    /// <inheritdoc/>
    public bool Equals(Handle other) => ReferenceEquals(_target, other._target) && _sequence == other._sequence;

    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is Handle other && Equals(other);

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(_target, _sequence);

    /// <summary>Whether both handles stand for the same scheduled callback.</summary>
    public static bool operator ==(Handle left, Handle right) => left.Equals(right);

    /// <summary>Whether the handles stand for different scheduled callbacks.</summary>
    public static bool operator !=(Handle left, Handle right) => !left.Equals(right);

    /// <inheritdoc/>
    public override string ToString() => $"<Handle #{_sequence}{(Cancelled ? " cancelled" : "")}>";
}

namespace Sim.Core;

/// <summary>
/// A task waiting in a primitive's line: what asyncio keeps in a primitive's deque of waiter
/// futures. Done once it was woken or cancelled; it stays in the line until it resumes and
/// removes itself (or a waker pops it), exactly where CPython's future would be.
/// </summary>
internal interface ILineWaiter
{
    /// <summary>Woken or cancelled (<c>fut.done()</c>).</summary>
    bool Done { get; }

    /// <summary>Cancelled while it waited (<c>fut.cancelled()</c>).</summary>
    bool Cancelled { get; }

    /// <summary>Gives the waiter its turn (<c>fut.set_result(...)</c>): its task resumes in a
    /// later loop iteration. Only a waiter that is not <see cref="Done"/> may be woken.</summary>
    void Wake();
}

namespace Sim.Core;

/// <summary>asyncio's <c>Event</c>: a flag tasks can wait for. Loop thread only.</summary>
public sealed class LoopEvent : LoopBound
{
    private readonly List<Future<bool>> _waiters = [];

    /// <summary>True while the flag is set.</summary>
    public bool IsSet { get; private set; }

    /// <summary>Sets the flag and wakes every waiter.</summary>
    public void Set()
    {
        if (IsSet)
            return;
        IsSet = true;
        foreach (var waiter in _waiters)
        {
            if (!waiter.Done)
                waiter.SetResult(true);
        }
    }

    /// <summary>Clears the flag: later waiters block until the next <see cref="Set"/>.</summary>
    public void Clear() => IsSet = false;

    /// <summary>Waits until the flag is set; returns true.</summary>
    public async Coroutine<bool> Wait()
    {
        if (IsSet)
            return true;
        var waiter = GetLoop().CreateFuture<bool>();
        _waiters.Add(waiter);
        try
        {
            await waiter;
            return true;
        }
        finally
        {
            _waiters.Remove(waiter);
        }
    }
}

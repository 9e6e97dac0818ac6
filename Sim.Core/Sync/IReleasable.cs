namespace Sim.Core;

/// <summary>A primitive an <see cref="AcquiredScope"/> releases: a lock, a semaphore, a condition.</summary>
internal interface IReleasable
{
    /// <summary>Releases what was acquired.</summary>
    void Release();
}

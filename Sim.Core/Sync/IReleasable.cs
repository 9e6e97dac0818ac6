namespace Sim.Core;

/// <summary>A primitive an <see cref="AcquiredScope"/> releases: a lock or a semaphore.</summary>
internal interface IReleasable
{
    /// <summary>Releases what was acquired.</summary>
    void Release();
}

namespace Sim.Core;

/// <summary>A future's life: pending, then finished (result or exception) or cancelled, for good.</summary>
public enum FutureState
{
    Pending,
    Finished,
    Cancelled,
}

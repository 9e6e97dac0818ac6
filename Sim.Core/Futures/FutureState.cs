namespace Sim.Core;

/// <summary>A future's life: pending, then finished (result or exception) or cancelled, for good.</summary>
public enum FutureState
{
    /// <summary>Neither a result nor an exception yet.</summary>
    Pending,
    /// <summary>Done, with a result or an exception.</summary>
    Finished,
    /// <summary>Done by cancellation.</summary>
    Cancelled,
}

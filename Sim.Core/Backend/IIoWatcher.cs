namespace Sim.Core;

/// <summary>
/// The loop's side of a readiness registration (the libuv/uvloop model: interest is declared, the
/// backend reports readiness). Implemented in Sim.Core only.
/// </summary>
/// <remarks>
/// A backend calls <see cref="OnReady"/> from inside <see cref="IIoBackend.Poll"/>, on the loop's
/// thread, for every watched endpoint that is ready for something of interest: level-triggered,
/// so an endpoint that stays ready is reported again at the next poll. Implementations only queue
/// callbacks on the loop; those run in phase 5, the only place callbacks run.
/// </remarks>
public interface IIoWatcher
{
    /// <summary>The endpoint is ready for <paramref name="readiness"/> (never <see cref="IoReadiness.None"/>,
    /// always within the interest declared).</summary>
    void OnReady(IoReadiness readiness);
}

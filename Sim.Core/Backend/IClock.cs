namespace Sim.Core;

/// <summary>
/// The loop's only source of time. Time is an integer count of nanoseconds from an arbitrary
/// epoch, so nothing inside the loop ever compares doubles.
/// </summary>
public interface IClock
{
    /// <summary>Nanoseconds since this clock's epoch; never decreases.</summary>
    long NowNs { get; }

    /// <summary>
    /// The clock's granularity in nanoseconds: a timer due within this of now is due now
    /// (asyncio's <c>clock_resolution</c>). At least 1.
    /// </summary>
    long ResolutionNs { get; }
}

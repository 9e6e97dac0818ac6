namespace Sim.Net;

/// <summary>One line of a simulation trace: when (virtual ns), where (host), what, and details.</summary>
public readonly record struct TraceEvent(long TimeNs, string Host, string Kind, string Details)
{
    /// <summary>The event as one line of text: <c>0.001000000 host kind details</c>.</summary>
    public override string ToString() => $"{TimeNs / 1_000_000_000}.{TimeNs % 1_000_000_000:D9} {Host} {Kind} {Details}";
}

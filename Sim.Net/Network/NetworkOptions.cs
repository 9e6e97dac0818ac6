namespace Sim.Net;

/// <summary>The simulated network's knobs. Every default says why it is what it is.</summary>
public sealed class NetworkOptions
{
    /// <summary>
    /// The shortest one-way latency of a segment (seconds). 50 µs: about a loopback or same-rack
    /// hop; never 0, so a reply always comes after its request in virtual time.
    /// </summary>
    public double LatencyMin { get; init; } = 0.000_05;

    /// <summary>
    /// The longest one-way latency (seconds); each segment draws its latency from
    /// [<see cref="LatencyMin"/>, this]. 2 ms: a LAN with some jitter, enough to interleave
    /// connections differently from seed to seed while keeping runs short.
    /// </summary>
    public double LatencyMax { get; init; } = 0.002;

    /// <summary>
    /// The largest segment (bytes); each segment of a send draws its size from [1, this]. 4 KiB:
    /// most application messages above a few hundred bytes arrive split somewhere, which is where
    /// stream-parsing bugs hide, without multiplying events for bulk transfers.
    /// </summary>
    public int ChunkSizeMax { get; init; } = 4096;

    /// <summary>
    /// Bytes a receiver accepts beyond what its application has read (in flight plus buffered).
    /// 64 KiB, TCP's classic window without scaling: with the 64 KiB write high-water mark a writer
    /// pauses after about 128 KiB the peer has not read, so backpressure shows up in small tests.
    /// </summary>
    public int ReceiveWindow { get; init; } = 64 * 1024;

    /// <summary>
    /// How long a connect to an address no host answers waits before failing with TimedOut
    /// (seconds). 127 s, Linux's default (6 SYN retries from 1 s, doubling): virtual time is free.
    /// </summary>
    public double ConnectTimeout { get; init; } = 127;

    /// <summary>
    /// The first SYN retransmission interval when a listener's backlog is full (seconds); it doubles
    /// each time. 1 s, Linux's initial RTO.
    /// </summary>
    public double SynRetryInterval { get; init; } = 1;

    /// <summary>The longest a DNS lookup takes (seconds), drawn from [0, this]. 1 ms: a nearby
    /// resolver; enough to reorder lookups against other events.</summary>
    public double DnsLatencyMax { get; init; } = 0.001;

    /// <summary>Record every delivered segment in the trace (connections, FINs and resets are
    /// always recorded). On: a divergence in the bytes' timing is then visible.</summary>
    public bool TraceSegments { get; init; } = true;

    internal void Validate()
    {
        if (!(LatencyMin > 0) || !(LatencyMax >= LatencyMin) || LatencyMax > 3600)
            throw new ArgumentOutOfRangeException(nameof(LatencyMax), $"Latencies must satisfy 0 < LatencyMin ({LatencyMin}) <= LatencyMax ({LatencyMax}) <= 3600 s.");
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(ChunkSizeMax);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(ReceiveWindow);
        if (!(ConnectTimeout > 0) || !(SynRetryInterval > 0) || !(DnsLatencyMax >= 0))
            throw new ArgumentOutOfRangeException(nameof(ConnectTimeout), "ConnectTimeout and SynRetryInterval must be positive, DnsLatencyMax non-negative.");
    }
}

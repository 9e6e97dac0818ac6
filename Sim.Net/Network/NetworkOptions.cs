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
    /// The smallest segment (bytes) a send is cut into, the last segment of a send aside (it carries
    /// what is left). 1: any split can happen. Set it to <see cref="ChunkSizeMax"/> to switch the
    /// chunking fault off: every segment is then <see cref="ChunkSizeMax"/> bytes, no size is drawn,
    /// and a send up to that size arrives whole (e.g. both 64 KiB, for throughput runs that do not
    /// test stream parsing). Between the two, sizes are drawn from [this, <see cref="ChunkSizeMax"/>].
    /// </summary>
    public int ChunkSizeMin { get; init; } = 1;

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
    /// The first SYN retransmission interval when a SYN is dropped (a listener's backlog is full, a
    /// partitioned link) or its refusal is lost (seconds); it doubles
    /// each time. 1 s, Linux's initial RTO.
    /// </summary>
    public double SynRetryInterval { get; init; } = 1;

    /// <summary>The longest a DNS lookup takes (seconds), drawn from [0, this]. 1 ms: a nearby
    /// resolver; enough to reorder lookups against other events.</summary>
    public double DnsLatencyMax { get; init; } = 0.001;

    /// <summary>Record every delivered segment in the trace (connections, FINs and resets are
    /// always recorded). On: a divergence in the bytes' timing is then visible.</summary>
    public bool TraceSegments { get; init; } = true;

    /// <summary>
    /// The chance that a datagram is lost on its way, drawn per datagram, in [0, 1]. 0: loopback
    /// loses nothing, so a test sees loss only when it asks for it.
    /// </summary>
    public double DatagramLossProbability { get; init; }

    /// <summary>
    /// The chance that a datagram arrives twice (each copy at its own latency), in [0, 1]. 0 for
    /// the same reason as <see cref="DatagramLossProbability"/>.
    /// </summary>
    public double DatagramDuplicationProbability { get; init; }

    /// <summary>
    /// Extra latency a datagram may draw beyond <see cref="LatencyMax"/> (seconds). 0: datagrams
    /// between two sockets arrive in the order sent, as on loopback. Above 0 each datagram draws
    /// its latency from [<see cref="LatencyMin"/>, <see cref="LatencyMax"/> + this] with no
    /// ordering, so datagrams sent closer together than the spread overtake each other.
    /// </summary>
    public double DatagramJitterMax { get; init; }

    /// <summary>
    /// The largest datagram a socket sends (bytes); larger ones fail with MessageSize, as Linux's
    /// EMSGSIZE. 65,507: UDP's limit over IPv4 (65,535 minus the IP and UDP headers).
    /// </summary>
    public int DatagramSizeMax { get; init; } = 65_507;

    /// <summary>
    /// Bytes of datagrams a socket holds unread; datagrams arriving beyond it are dropped, as a
    /// full SO_RCVBUF drops them. 212,992: Linux's default receive buffer (rmem_default).
    /// </summary>
    public int DatagramReceiveBufferMax { get; init; } = 212_992;

    /// <summary>
    /// Bytes of datagrams a socket may have on their way; a send while they reach it would block
    /// (a send below it goes whatever its size, as on Linux). 212,992: Linux's default send buffer (wmem_default),
    /// so a sender faster than the latency allows meets backpressure as on a real host.
    /// </summary>
    public int DatagramSendBufferMax { get; init; } = 212_992;

    internal void Validate()
    {
        if (!(LatencyMin > 0) || !(LatencyMax >= LatencyMin) || LatencyMax > 3600)
            throw new ArgumentOutOfRangeException(nameof(LatencyMax), $"Latencies must satisfy 0 < LatencyMin ({LatencyMin}) <= LatencyMax ({LatencyMax}) <= 3600 s.");
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(ChunkSizeMax);
        if (ChunkSizeMin < 1 || ChunkSizeMin > ChunkSizeMax)
            throw new ArgumentOutOfRangeException(nameof(ChunkSizeMin), ChunkSizeMin, $"Segment sizes must satisfy 1 <= ChunkSizeMin <= ChunkSizeMax ({ChunkSizeMax}).");
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(ReceiveWindow);
        if (!(ConnectTimeout > 0) || !(SynRetryInterval > 0) || !(DnsLatencyMax >= 0))
            throw new ArgumentOutOfRangeException(nameof(ConnectTimeout), "ConnectTimeout and SynRetryInterval must be positive, DnsLatencyMax non-negative.");
        if (!(DatagramLossProbability is >= 0 and <= 1) || !(DatagramDuplicationProbability is >= 0 and <= 1))
            throw new ArgumentOutOfRangeException(nameof(DatagramLossProbability), "Datagram loss and duplication probabilities are in [0, 1].");
        if (!(DatagramJitterMax is >= 0 and <= 3600))
            throw new ArgumentOutOfRangeException(nameof(DatagramJitterMax), DatagramJitterMax, "Datagram jitter is 0 to 3600 s.");
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(DatagramSizeMax);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(DatagramReceiveBufferMax);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(DatagramSendBufferMax);
    }
}

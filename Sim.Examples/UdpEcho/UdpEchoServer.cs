using System.Globalization;
using System.Net;
using Sim.Core;
using Sim.Net;

namespace Sim.Examples.UdpEcho;

/// <summary>
/// A UDP echo server that executes each request at most once: it remembers, per client address,
/// the last sequence number it executed and the reply it sent. The next number is executed
/// (recorded, then echoed); the same number again — a retransmission after a lost reply, or a
/// duplicate — gets the remembered reply without being executed again; an older one, delayed
/// past its successor, is ignored.
/// </summary>
/// <remarks>
/// With <c>deduplicates: false</c> (the planted bug) the server skips that check and executes a
/// repeated request again: invisible to a client that ignores duplicate replies, caught by the
/// scenario's exactly-once invariant as soon as the network duplicates a request or loses a reply.
/// </remarks>
internal sealed class UdpEchoServer(SimulationTrace trace, bool deduplicates) : DatagramProtocol
{
    private const string Host = "echo.sim";

    // Looked up by address only, never iterated: the order of sessions is _sessions's.
    private readonly Dictionary<string, Session> _sessionsByAddress = new(StringComparer.Ordinal);
    private readonly List<Session> _sessions = [];
    private readonly List<string> _violations = [];

    /// <summary>One session a client address, in the order they first sent.</summary>
    public IReadOnlyList<Session> Sessions => _sessions;

    /// <summary>Datagrams that broke the protocol (too short, a sequence number skipped).</summary>
    public IReadOnlyList<string> Violations => _violations;

    /// <summary>Repeated requests answered from the remembered reply.</summary>
    public int Replays { get; private set; }

    /// <summary>Requests older than the last one executed, ignored.</summary>
    public int StaleIgnored { get; private set; }

    public override void DatagramReceived(ReadOnlySpan<byte> data, EndPoint address)
    {
        ArgumentNullException.ThrowIfNull(address);
        var from = address.ToString() ?? "?";
        if (UdpEchoDatagrams.SequenceOf(data) is not { } sequence)
        {
            _violations.Add($"{from} sent a datagram of {data.Length} bytes, too short for a sequence number");
            return;
        }
        var session = SessionOf(from);
        if (sequence == session.LastSequence + 1 || (!deduplicates && sequence == session.LastSequence))
        {
            session.Execute(sequence, data.ToArray());
            trace.Record(Host, "udp-echo.execute", string.Create(CultureInfo.InvariantCulture, $"{from} #{sequence}"));
            Transport!.SendTo(data, address);
        }
        else if (sequence == session.LastSequence)
        {
            Replays++;
            trace.Record(Host, "udp-echo.replay", string.Create(CultureInfo.InvariantCulture, $"{from} #{sequence}"));
            Transport!.SendTo(session.LastReply, address);
        }
        else if (sequence < session.LastSequence)
        {
            StaleIgnored++;
        }
        else
        {
            _violations.Add(string.Create(CultureInfo.InvariantCulture,
                $"{from} sent #{sequence} after #{session.LastSequence}: a stop-and-wait client never skips one"));
        }
    }

    private Session SessionOf(string address)
    {
        if (!_sessionsByAddress.TryGetValue(address, out var session))
        {
            session = new Session(address);
            _sessionsByAddress.Add(address, session);
            _sessions.Add(session);
        }
        return session;
    }

    /// <summary>What the server executed for one client address.</summary>
    public sealed class Session(string address)
    {
        private readonly List<int> _executed = [];

        public string Address { get; } = address;

        /// <summary>The sequence numbers executed, in order; each once when all is well.</summary>
        public IReadOnlyList<int> Executed => _executed;

        public int LastSequence { get; private set; } = -1;

        public byte[] LastReply { get; private set; } = [];

        public void Execute(int sequence, byte[] reply)
        {
            _executed.Add(sequence);
            LastSequence = sequence;
            LastReply = reply;
        }
    }
}

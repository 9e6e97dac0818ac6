using System.Globalization;
using System.Net;
using Sim.Core;
using Sim.Net;

namespace Sim.Examples.UdpEcho;

/// <summary>
/// A stop-and-wait client of <see cref="UdpEchoServer"/>: sends request n, waits for the reply
/// numbered n with a timeout, retransmits the same request on each timeout, and ignores every
/// other reply (duplicates, and late copies of replies already taken). Each reply the
/// application takes must be the request echoed, and the application takes each exactly once.
/// </summary>
internal sealed class UdpEchoClient(Simulation simulation, int id, IReadOnlyList<int> payloadSizes) : DatagramProtocol
{
    /// <summary>
    /// How long a request waits for its reply before it is sent again (seconds). 8 ms: above most
    /// round trips (two one-way latencies of up to 2 ms plus 3 ms of jitter each), below the
    /// longest, so besides the retransmissions loss forces a few come early and race their reply.
    /// </summary>
    public const double RetransmitTimeout = 0.008;

    /// <summary>Sends of one request before the client gives up: with a fifth of datagrams lost
    /// a round trip fails about one time in three, so 30 in a row happen once in 10^14.</summary>
    public const int AttemptsMax = 30;

    // Pause before each request, in seconds of virtual time: the clients' requests interleave differently each seed.
    private const double SendPauseMax = 0.002;

    private readonly List<int> _delivered = [];
    private readonly List<string> _errors = [];
    private Future<byte[]>? _reply;
    private int _awaited = -1;

    /// <summary>The sequence numbers whose replies the application took, in order.</summary>
    public IReadOnlyList<int> Delivered => _delivered;

    /// <summary>What the endpoint reported through ErrorReceived.</summary>
    public IReadOnlyList<string> Errors => _errors;

    /// <summary>Requests sent again after a timeout.</summary>
    public int Retransmits { get; private set; }

    /// <summary>Replies ignored: not for the request awaited, or for one already answered.</summary>
    public int RepliesIgnored { get; private set; }

    private string HostName => string.Create(CultureInfo.InvariantCulture, $"client{id}.sim");

    /// <summary>Opens an endpoint from <paramref name="localAddress"/> to the server, sends every request, and closes.</summary>
    public async Coroutine Run(string host, int port, string localAddress)
    {
        var (transport, _) = await simulation.Loop.CreateDatagramEndpoint(() => this, localAddress: (localAddress, 0), remoteAddress: (host, port));
        for (var sequence = 0; sequence < payloadSizes.Count; sequence++)
        {
            await Asyncio.Sleep(simulation.Choices.NextDouble() * SendPauseMax);
            var request = UdpEchoDatagrams.Request(id, sequence, payloadSizes[sequence]);
            var reply = await Exchange(transport, sequence, request);
            if (!reply.AsSpan().SequenceEqual(request))
                throw Broken($"the reply to request {sequence} is not its echo ({reply.Length} bytes for {request.Length})");
            _delivered.Add(sequence);
            simulation.Trace.Record(HostName, "udp-echo.deliver", sequence.ToString(CultureInfo.InvariantCulture));
        }
        transport.Close();
    }

    /// <summary>Sends <paramref name="request"/> until its reply comes back; returns the reply.</summary>
    private async Coroutine<byte[]> Exchange(IDatagramTransport transport, int sequence, byte[] request)
    {
        for (var attempt = 1; ; attempt++)
        {
            var reply = simulation.Loop.CreateFuture<byte[]>();
            _reply = reply;
            _awaited = sequence;
            transport.SendTo(request);
            try
            {
                return await Asyncio.WaitFor(reply, RetransmitTimeout);
            }
            catch (TimeoutException) when (attempt < AttemptsMax)
            {
                Retransmits++;
                simulation.Trace.Record(HostName, "udp-echo.retransmit", string.Create(CultureInfo.InvariantCulture, $"#{sequence}, attempt {attempt + 1}"));
            }
            catch (TimeoutException)
            {
                throw Broken($"request {sequence} got no reply in {AttemptsMax} attempts");
            }
        }
    }

    public override void DatagramReceived(ReadOnlySpan<byte> data, EndPoint address)
    {
        // WaitFor cancels the future of a request that timed out: a reply arriving after that is
        // a late one, and the retransmission's reply is awaited instead.
        if (UdpEchoDatagrams.SequenceOf(data) == _awaited && _reply is { Done: false } reply)
        {
            reply.SetResult(data.ToArray());
            return;
        }
        RepliesIgnored++;
    }

    public override void ErrorReceived(Exception exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        _errors.Add($"{exception.GetType().Name}: {exception.Message}");
    }

    private InvalidOperationException Broken(string what) => new($"client {id}: {what}");
}

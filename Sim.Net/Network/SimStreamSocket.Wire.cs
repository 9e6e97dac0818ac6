using System.Net;
using System.Net.Sockets;
using Sim.Core;

namespace Sim.Net;

internal sealed partial class SimStreamSocket
{
    private TimerHandle? _connectTimeout;
    // The connect's next step on the wire (a SYN arriving, sent again, or refused): one at a
    // time, cancelled when the socket closes, so a closed socket leaves no timer in the loop.
    private TimerHandle? _synTimer;
    private long _synRetryNs;
    private long _connectDeadlineNs;

    /// <summary>A client socket whose SYN is on its way; it fails with TimedOut if nothing answers
    /// within the connect timeout.</summary>
    public static SimStreamSocket StartConnect(SimNetwork network, Host host, IPEndPoint local, IPEndPoint remote)
    {
        var socket = new SimStreamSocket(network, host, local, remote, State.Connecting, ownsPort: true);
        var loop = network.Loop;
        socket._connectDeadlineNs = loop.TimeNs() + SimNetwork.SecondsToNs(network.Options.ConnectTimeout);
        socket._synRetryNs = SimNetwork.SecondsToNs(network.Options.SynRetryInterval);
        socket._connectTimeout = loop.CallAtNs(socket._connectDeadlineNs, static s => s.ConnectFailed(SocketError.TimedOut), socket);
        network.Record(host, "tcp.connect", $"{SimNetwork.Format(local)} -> {SimNetwork.Format(remote)}");
        socket.SendSyn();
        return socket;
    }

    private void SendSyn()
    {
        if (_closed || _state != State.Connecting)
            return;
        var loop = _network.Loop;
        _synTimer = loop.CallAtNs(loop.TimeNs() + _network.DrawLatencyNs(), static s => s.SynArrived(), this);
    }

    /// <summary>The SYN reached the destination: nobody there (silence), nobody listening (reset),
    /// a full backlog (dropped, retried later), or a new connection queued for accept.</summary>
    private void SynArrived()
    {
        if (_closed || _state != State.Connecting)
            return;
        var remote = (IPEndPoint)RemoteEndPoint;
        if (_network.HostOf(remote.Address) is not { } target)
            return;
        if (target.DropsIncomingConnections)
        {
            _network.Record(target, "tcp.syn-drop", $"{SimNetwork.Format(remote)} <- {SimNetwork.Format(LocalEndPoint)}: the host drops connection attempts");
            return;
        }
        var loop = _network.Loop;
        if (_network.HasLinkFaults && _network.IsBlocked(Host, target, out var untilNs))
        {
            if (untilNs != long.MaxValue)
            {
                // Clogged: the SYN arrives when the clog ends.
                _synTimer = loop.CallAtNs(untilNs, static s => s.SynArrived(), this);
                return;
            }
            _network.Record(target, "tcp.syn-drop", $"{SimNetwork.Format(remote)} <- {SimNetwork.Format(LocalEndPoint)}: the link is partitioned");
            RetrySynLater();
            return;
        }
        if (target.FindListener(remote) is not { } listener)
        {
            _network.Record(target, "tcp.refuse", $"{SimNetwork.Format(remote)} <- {SimNetwork.Format(LocalEndPoint)}: nothing listens");
            var answerAtNs = loop.TimeNs() + _network.DrawLatencyNs();
            if (_network.HasLinkFaults && _network.IsBlocked(target, Host, out var backUntilNs))
            {
                if (backUntilNs == long.MaxValue)
                {
                    // The reset cannot cross back: the client hears nothing and sends its SYN again.
                    _network.Record(Host, "tcp.rst-lost", $"{SimNetwork.Format(LocalEndPoint)} <- {SimNetwork.Format(remote)}: the link is partitioned");
                    RetrySynLater();
                    return;
                }
                answerAtNs = Math.Max(answerAtNs, backUntilNs);
            }
            _synTimer = loop.CallAtNs(answerAtNs, static s => s.ConnectFailed(SocketError.ConnectionRefused), this);
            return;
        }
        if (listener.IsQueueFull)
        {
            _network.Record(target, "tcp.syn-drop", $"{SimNetwork.Format(remote)} <- {SimNetwork.Format(LocalEndPoint)}: backlog full");
            RetrySynLater();
            return;
        }
        var server = new SimStreamSocket(_network, target, remote, (IPEndPoint)LocalEndPoint, State.Established, ownsPort: false);
        _outgoing = server._incoming = new Flow(_network, this, server);
        server._outgoing = _incoming = new Flow(_network, server, this);
        server._peer = this;
        _peer = server;
        _network.OpenConnections++;
        listener.Enqueue(server);
        server._outgoing.SendControl(SegmentKind.SynAck);
    }

    /// <summary>The SYN was dropped: the client sends it again after the retry interval, which
    /// doubles each time, until the connect deadline.</summary>
    private void RetrySynLater()
    {
        var loop = _network.Loop;
        var retryAt = loop.TimeNs() + _synRetryNs;
        _synRetryNs *= 2;
        if (retryAt < _connectDeadlineNs)
            _synTimer = loop.CallAtNs(retryAt, static s => s.SendSyn(), this);
    }

    /// <summary>The SYN-ACK arrived: connected, unless the connect was abandoned or timed out meanwhile.</summary>
    internal void OnSynAck()
    {
        // Closed, or the connect timed out while the SYN-ACK was held at a cut link.
        if (_closed || _state != State.Connecting)
        {
            SendReset("connect abandoned");
            return;
        }
        _state = State.Established;
        _connectTimeout?.Cancel();
        _connectTimeout = null;
        _network.Record(Host, Kind("tcp.established", "unix.established"), $"{SimNetwork.Format(LocalEndPoint)} -> {SimNetwork.Format(RemoteEndPoint)}");
        _network.Rearm(this);
    }

    private void ConnectFailed(SocketError error)
    {
        if (_closed || _state != State.Connecting)
            return;
        _state = State.ConnectFailed;
        _connectError = error;
        _connectTimeout?.Cancel();
        _connectTimeout = null;
        _network.Record(Host, Kind("tcp.connect-failed", "unix.connect-failed"), $"{SimNetwork.Format(LocalEndPoint)} -> {SimNetwork.Format(RemoteEndPoint)}: {error}");
        _network.Rearm(this);
    }

    /// <summary>
    /// <paramref name="length"/> bytes arrived (they stay in the incoming flow's buffer until read).
    /// False when this end does not take them: at a closed end they are answered with a reset
    /// (what TCP does) and dropped.
    /// </summary>
    internal bool OnData(int length)
    {
        if (_closed || _resetSent)
        {
            if (!_resetSent && !_resetReceived)
                SendReset($"{SimNetwork.Bytes(length)} arrived after close");
            return false;
        }
        if (_network.TraceSegments)
            _network.Record(Host, Kind("tcp.deliver", "unix.deliver"), InboundLabel, length, " bytes");
        _network.Rearm(this);
        return true;
    }

    internal void OnFin()
    {
        if (_closed || _resetSent)
            return;
        _finReceived = true;
        _network.Record(Host, Kind("tcp.eof", "unix.eof"), $"{SimNetwork.Format(LocalEndPoint)} <- {SimNetwork.Format(RemoteEndPoint)}");
        _network.Rearm(this);
    }

    internal void OnReset()
    {
        if (_closed || _resetSent)
            return;
        _resetReceived = true;
        _resetUnreported = IsUnix || !_finReceived;
        _network.Record(Host, Kind("tcp.reset", "unix.reset"), $"{SimNetwork.Format(LocalEndPoint)} <- {SimNetwork.Format(RemoteEndPoint)}");
        _network.Rearm(this);
    }
}

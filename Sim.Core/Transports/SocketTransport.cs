using System.Diagnostics;
using System.Net.Sockets;

namespace Sim.Core;

/// <summary>
/// The stream transport over a backend's <see cref="IStreamSocket"/> (asyncio's
/// <c>_SelectorSocketTransport</c>), written once for every backend: receiving, write buffering
/// with high/low water marks, half-close, close and abort, and the protocol grammar. Split by
/// concern: this file (life cycle), <c>.Read.cs</c>, <c>.Write.cs</c>.
/// </summary>
[DebuggerDisplay("{ToString(),nq}")]
internal sealed partial class SocketTransport : ITransport, IIoWatcher
{
    private static readonly Action<SocketTransport> s_connectionMade = static t => t.CallConnectionMade();
    private static readonly Action<SocketTransport> s_startReading = static t => t.AddReader();
    private static readonly Action<Future<Unit>> s_wakeWaiter = static waiter =>
    {
        if (!waiter.Cancelled)
            waiter.SetResult(Unit.Value);
    };

    private readonly EventLoop _loop;
    private readonly IStreamSocket _socket;
    private readonly object?[] _extra;
    private IBaseProtocol _protocol;
    private readonly WriteFlowControl _flow;
    private Server? _server;
    private ProtocolGrammar _grammar;
    private IoReadiness _interest;
    private int _connectionLost;   // > 0 once ConnectionLost is scheduled (counts dropped writes after).
    private bool _closing;
    private bool _readingPaused;
    private bool _eofReceived;
    private bool _socketClosed;

    /// <summary>Takes over a connected socket; <c>ConnectionMade</c>, then reading, then
    /// <paramref name="waiter"/>'s result are scheduled, in that order.</summary>
    public SocketTransport(EventLoop loop, IStreamSocket socket, IBaseProtocol protocol, Future<Unit>? waiter, Server? server)
    {
        _loop = loop;
        _flow = new WriteFlowControl(loop, this);
        _socket = socket;
        _protocol = protocol;
        CheckProtocol(protocol);
        _extra = [ExtraAddress(socket.RemoteEndPoint), ExtraAddress(socket.LocalEndPoint), socket];
        _server = server;
        server?.Attach(this);
        _loop.CallSoon(s_connectionMade, this);
        // Reading starts only once ConnectionMade has been called.
        _loop.CallSoon(s_startReading, this);
        if (waiter is not null)
            _loop.CallSoon(s_wakeWaiter, waiter);
    }

    /// <inheritdoc/>
    public bool IsClosing => _closing;

    /// <inheritdoc/>
    public bool IsReading => !_closing && !_readingPaused;

    /// <inheritdoc/>
    public object? GetExtraInfo(string name, object? defaultValue = null) => name switch
    {
        "peername" => _extra[0],
        "sockname" => _extra[1],
        "socket" => _extra[2],
        _ => defaultValue,
    };

    /// <inheritdoc/>
    public void SetProtocol(IBaseProtocol protocol)
    {
        ArgumentNullException.ThrowIfNull(protocol);
        CheckProtocol(protocol);
        _protocol = protocol;
    }

    /// <inheritdoc/>
    public IBaseProtocol GetProtocol() => _protocol;

    /// <inheritdoc/>
    public void Close()
    {
        if (_closing)
            return;
        _closing = true;
        RemoveInterest(IoReadiness.Readable);
        if (_writeBuffer.Length == 0)
        {
            _connectionLost++;
            RemoveInterest(IoReadiness.Writable);
            _loop.CallSoon(static t => t.CallConnectionLost(null), this);
        }
    }

    /// <inheritdoc/>
    public void Abort() => ForceClose(null);

    void IIoWatcher.OnReady(IoReadiness readiness)
    {
        if ((readiness & IoReadiness.Readable) != 0)
            _loop.CallSoon(static t => t.ReadReady(), this);
        if ((readiness & IoReadiness.Writable) != 0)
            _loop.CallSoon(static t => t.WriteReady(), this);
    }

    /// <summary>asyncio's repr: <c>&lt;SocketTransport closing peer=... bufsize=0&gt;</c>.</summary>
    public override string ToString() =>
        $"<SocketTransport{(_socketClosed ? " closed" : _closing ? " closing" : "")} peer={_extra[0]} read={(IsReading ? "polling" : "idle")} bufsize={_writeBuffer.Length}>";

    /// <summary>asyncio's <c>peername</c>/<c>sockname</c>: the endpoint, or a Unix socket's path
    /// ("" for an unnamed one).</summary>
    private static object ExtraAddress(System.Net.EndPoint endPoint) => endPoint is UnixEndPoint unix ? unix.Path : endPoint;

    private static void CheckProtocol(IBaseProtocol protocol)
    {
        if (protocol is not (IProtocol or IBufferedProtocol))
            throw new ArgumentException($"A stream transport needs an IProtocol or an IBufferedProtocol, not {protocol.GetType().Name}.", nameof(protocol));
    }

    private void CallConnectionMade()
    {
        _grammar.Enter(ProtocolCall.ConnectionMade);
        _protocol.ConnectionMade(this);
    }

    /// <summary>An operating error (a <see cref="SocketException"/>) closes the connection with it;
    /// any other exception is a bug in the protocol: reported, then the same.</summary>
    private void FatalError(Exception exception, string message)
    {
        if (exception is not SocketException)
        {
            _loop.CallExceptionHandler(new ExceptionContext($"{message} (transport {this}, protocol {_protocol.GetType().Name})", exception));
        }
        ForceClose(exception);
    }

    private void ForceClose(Exception? exception)
    {
        if (_connectionLost > 0)
            return;
        if (_writeBuffer.Length > 0)
        {
            _writeBuffer.Clear();
            RemoveInterest(IoReadiness.Writable);
        }
        if (!_closing)
        {
            _closing = true;
            RemoveInterest(IoReadiness.Readable);
        }
        _connectionLost++;
        _loop.CallSoon(static state => state.Transport.CallConnectionLost(state.Exception), (Transport: this, Exception: exception));
    }

    private void CallConnectionLost(Exception? exception)
    {
        try
        {
            _grammar.Enter(ProtocolCall.ConnectionLost);
            _protocol.ConnectionLost(exception);
        }
        finally
        {
            _interest = IoReadiness.None;
            _socket.Watch(this, IoReadiness.None);
            _socket.Close();
            FailEmptyWaiter();
            _socketClosed = true;
            var server = _server;
            _server = null;
            server?.Detach(this);
        }
    }

    private void AddInterest(IoReadiness readiness) => SetInterest(_interest | readiness);

    private void RemoveInterest(IoReadiness readiness) => SetInterest(_interest & ~readiness);

    private void SetInterest(IoReadiness interest)
    {
        if (interest == _interest || _socketClosed)
            return;
        _interest = interest;
        _socket.Watch(this, interest);
    }
}

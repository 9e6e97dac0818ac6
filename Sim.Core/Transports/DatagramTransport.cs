using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Sim.Core;

/// <summary>
/// The datagram transport over a backend's <see cref="IDatagramSocket"/> (asyncio's
/// <c>_SelectorDatagramTransport</c>), written once for every backend: one datagram per read
/// readiness, sends buffered while the socket would block, water marks, close and abort, and
/// the protocol grammar <c>ConnectionMade [DatagramReceived | ErrorReceived]* ConnectionLost</c>.
/// Split by concern: this file (life cycle and receiving), <c>.Write.cs</c>.
/// </summary>
[DebuggerDisplay("{ToString(),nq}")]
internal sealed partial class DatagramTransport : IDatagramTransport, IIoWatcher
{
    // The largest datagram received in one piece (asyncio's max_size, 256 KiB): above UDP's 64 KiB
    // limit, so no datagram is ever truncated.
    private const int ReceiveSizeMax = 256 * 1024;

    // One receive buffer per thread: DatagramReceived gets a span valid during the call only.
    [ThreadStatic]
    private static byte[]? s_receiveBuffer;

    private readonly EventLoop _loop;
    private readonly IDatagramSocket _socket;
    private readonly EndPoint? _address;
    private readonly EndPoint _localEndPoint;
    private IDatagramProtocol _protocol;
    private readonly WriteFlowControl _flow;
    private ProtocolGrammar _grammar;
    private IoReadiness _interest;
    private int _connectionLost;   // > 0 once ConnectionLost is scheduled (counts dropped sends after).
    private bool _closing;
    private bool _socketClosed;

    /// <summary>Takes over an open socket (connected to <paramref name="socket"/>'s remote, if
    /// any); <c>ConnectionMade</c>, then reading, then <paramref name="waiter"/>'s result are
    /// scheduled, in that order.</summary>
    public DatagramTransport(EventLoop loop, IDatagramSocket socket, IDatagramProtocol protocol, Future<Unit>? waiter)
    {
        _loop = loop;
        _flow = new WriteFlowControl(loop, this);
        _socket = socket;
        _protocol = protocol;
        _address = socket.RemoteEndPoint;
        _localEndPoint = socket.LocalEndPoint;
        _loop.CallSoon(static t => t.CallConnectionMade(), this);
        // Reading starts only once ConnectionMade has been called.
        _loop.CallSoon(static t => t.AddReader(), this);
        if (waiter is not null)
        {
            _loop.CallSoon(static w =>
            {
                if (!w.Cancelled)
                    w.SetResult(Unit.Value);
            }, waiter);
        }
    }

    /// <inheritdoc/>
    public bool IsClosing => _closing;

    /// <inheritdoc/>
    public object? GetExtraInfo(string name, object? defaultValue = null) => name switch
    {
        "peername" => _address,
        "sockname" => _socketClosed ? _localEndPoint : _socket.LocalEndPoint,
        "socket" => _socket,
        _ => defaultValue,
    };

    /// <inheritdoc/>
    public void SetProtocol(IBaseProtocol protocol)
    {
        ArgumentNullException.ThrowIfNull(protocol);
        _protocol = protocol as IDatagramProtocol
            ?? throw new ArgumentException($"A datagram transport needs an IDatagramProtocol, not {protocol.GetType().Name}.", nameof(protocol));
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
        if (_buffer.Count == 0)
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

    /// <summary>asyncio's repr: <c>&lt;DatagramTransport closing local=... peer=... bufsize=0&gt;</c>.</summary>
    public override string ToString() =>
        $"<DatagramTransport{(_socketClosed ? " closed" : _closing ? " closing" : "")} local={_localEndPoint}{(_address is null ? "" : $" peer={_address}")} bufsize={_bufferSize}>";

    private void CallConnectionMade()
    {
        _grammar.Enter(ProtocolCall.ConnectionMade);
        _protocol.ConnectionMade(this);
    }

    private void AddReader()
    {
        if (!_closing)
            AddInterest(IoReadiness.Readable);
    }

    /// <summary>The socket is readable: one datagram, or one error, for the protocol.</summary>
    private void ReadReady()
    {
        if (_connectionLost > 0 || (_interest & IoReadiness.Readable) == 0)
            return;
        var buffer = s_receiveBuffer ??= new byte[ReceiveSizeMax];
        int count;
        EndPoint? from;
        try
        {
            count = _socket.ReceiveFrom(buffer, out from);
        }
        catch (SocketException error)
        {
            CallErrorReceived(error);
            return;
        }
        catch (Exception error)
        {
            FatalError(error, "Fatal read error on datagram transport");
            return;
        }
        if (count == IDatagramSocket.WouldBlock)
            return;
        _grammar.Enter(ProtocolCall.DatagramReceived);
        // As in asyncio, an exception from the protocol goes to the exception handler (the
        // callback failed) and the endpoint stays open.
        _protocol.DatagramReceived(buffer.AsSpan(0, count), from!);
    }

    private void CallErrorReceived(SocketException error)
    {
        _grammar.Enter(ProtocolCall.ErrorReceived);
        _protocol.ErrorReceived(error);
    }

    /// <summary>Any exception other than an operating error is a bug: reported, then the
    /// endpoint is closed with it (asyncio's <c>_fatal_error</c>).</summary>
    private void FatalError(Exception exception, string message)
    {
        _loop.CallExceptionHandler(new ExceptionContext($"{message} (transport {this}, protocol {_protocol.GetType().Name})", exception));
        ForceClose(exception);
    }

    private void ForceClose(Exception? exception)
    {
        if (_connectionLost > 0)
            return;
        if (_buffer.Count > 0)
        {
            _buffer.Clear();
            _bufferSize = 0;
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
            _socketClosed = true;
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

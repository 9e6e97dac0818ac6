using System.Diagnostics;
using System.Net.Sockets;
using System.Runtime.CompilerServices;

namespace Sim.Core;

/// <summary>
/// The protocol between a transport and a <see cref="StreamReader"/> (asyncio's
/// <c>StreamReaderProtocol</c> with its <c>FlowControlMixin</c>): it feeds the reader, keeps the
/// connection half-open on EOF so the writer can still write, and turns the transport's
/// pause/resume into what <see cref="StreamWriter.Drain"/> waits for. On the server side it also
/// starts the client-connected callback.
/// </summary>
/// <remarks>It is also an <see cref="IBufferedProtocol"/>, which is how a transport gives it
/// bytes: a waiting <see cref="StreamReader.ReadInto"/> with a buffer of at least 16 KiB gets them
/// received straight into that buffer (at most its length at a time), a waiting
/// <see cref="StreamReader.Read(int)"/> whose receives settled on one size gets them received into
/// a new array of that size, which it returns (with a vectored receive for what runs past it), any
/// other read gets them as <see cref="DataReceived"/> would pass them. The two interfaces feed the
/// reader alike.</remarks>
public sealed class StreamReaderProtocol : IProtocol, ISplitBufferedProtocol
{
    private readonly EventLoop _loop;
    private readonly Future<Unit> _closed;
    private readonly List<Future<Unit>> _drainWaiters = [];
    private readonly Func<StreamReader, StreamWriter, Coroutine>? _clientConnected;
    private StreamReader? _reader;
    private ITransport? _transport;
    private bool _paused;
    private bool _connectionLost;

    /// <summary>A protocol feeding <paramref name="reader"/>; with <paramref name="clientConnected"/>,
    /// a server-side one that runs it as a task for each connection.</summary>
    public StreamReaderProtocol(StreamReader? reader, Func<StreamReader, StreamWriter, Coroutine>? clientConnected = null, EventLoop? loop = null)
    {
        _loop = loop ?? Asyncio.GetRunningLoop();
        _reader = reader;
        _clientConnected = clientConnected;
        _closed = _loop.CreateFuture<Unit>();
    }

    /// <summary>The writer made for the client-connected callback, on the server side.</summary>
    internal StreamWriter? Writer { get; private set; }

    /// <summary>The task running the client-connected callback, on the server side.</summary>
    public LoopTask<Unit>? Task { get; private set; }

    /// <inheritdoc/>
    public void ConnectionMade(ITransport transport)
    {
        ArgumentNullException.ThrowIfNull(transport);
        _transport = transport;
        _reader?.SetTransport(transport);
        if (_clientConnected is null)
            return;
        var reader = _reader ?? throw new InvalidOperationException("A server-side stream protocol needs a reader.");
        Writer = new StreamWriter(transport, this, reader, _loop);
        var task = _loop.CreateTask(_clientConnected(reader, Writer));
        Task = task;
        task.AddDoneCallback(done =>
        {
            // A cancelled handler closes its connection, as one that raised does (asyncio 3.12.1+).
            if (done.Cancelled)
            {
                transport.Close();
                return;
            }
            if (done.Exception() is not { } error)
                return;
            _loop.CallExceptionHandler(new ExceptionContext("Unhandled exception in client_connected_cb", error) { Task = task });
            transport.Close();
        });
    }

    /// <inheritdoc/>
    public void DataReceived(ReadOnlySpan<byte> data) => _reader?.FeedData(data);

    /// <inheritdoc/>
    public Memory<byte> GetBuffer(int sizeHint) => GetBuffers(split: false, out _);

    Memory<byte> ISplitBufferedProtocol.GetBuffers(out Memory<byte> overflow) => GetBuffers(split: true, out overflow);

    void ISplitBufferedProtocol.BuffersUnused() => _reader?.ReceiveBuffersUnused();

    private Memory<byte> GetBuffers(bool split, out Memory<byte> overflow)
    {
        if (_reader is { } reader)
            return reader.GetReceiveBuffer(split, out overflow);
        overflow = Memory<byte>.Empty;
        return StreamReader.ScratchReceiveBuffer();
    }

    /// <inheritdoc/>
    public void BufferUpdated(int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        _reader?.ReceiveUpdated(count);
    }

    /// <inheritdoc/>
    public bool EofReceived()
    {
        _reader?.FeedEof();
        return true;
    }

    /// <inheritdoc/>
    public void ConnectionLost(Exception? exception)
    {
        if (_reader is { } reader)
        {
            if (exception is null)
                reader.FeedEof();
            else
                reader.SetException(exception);
        }
        if (!_closed.Done)
        {
            if (exception is null)
                _closed.SetResult(Unit.Value);
            else
                _closed.SetException(exception);
        }
        _connectionLost = true;
        if (_paused)
        {
            foreach (var waiter in _drainWaiters)
            {
                if (waiter.Done)
                    continue;
                if (exception is null)
                    waiter.SetResult(Unit.Value);
                else
                    waiter.SetException(exception);
            }
        }
        _reader = null;
        _transport = null;
        Writer = null;
    }

    /// <inheritdoc/>
    public void PauseWriting()
    {
        Debug.Assert(!_paused, "PauseWriting twice");
        _paused = true;
    }

    /// <inheritdoc/>
    public void ResumeWriting()
    {
        Debug.Assert(_paused, "ResumeWriting without PauseWriting");
        _paused = false;
        foreach (var waiter in _drainWaiters)
        {
            if (!waiter.Done)
                waiter.SetResult(Unit.Value);
        }
    }

    /// <summary>What <see cref="StreamWriter.WaitClosed"/> awaits: done when the connection is lost.</summary>
    internal Future<Unit> Closed => _closed;

    /// <summary>True when <see cref="DrainHelper"/> would return at once: writing is not paused and
    /// the connection is not lost. The writer then skips the call (it never yields either way).</summary>
    internal bool DrainReturnsAtOnce => !_paused && !_connectionLost;

    /// <summary>Returns at once unless writing is paused; then waits for it to resume or the
    /// connection to be lost.</summary>
    [AsyncMethodBuilder(typeof(PoolingCoroutineMethodBuilder))]
    internal async Coroutine DrainHelper()
    {
        if (_connectionLost)
            throw new SocketException((int)SocketError.ConnectionReset, "Connection lost");
        if (!_paused)
            return;
        var waiter = _loop.CreateFuture<Unit>();
        _drainWaiters.Add(waiter);
        try
        {
            await waiter;
        }
        finally
        {
            _drainWaiters.Remove(waiter);
        }
    }
}

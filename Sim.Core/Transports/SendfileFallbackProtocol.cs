using System.Net.Sockets;

namespace Sim.Core;

/// <summary>
/// Stands in for a transport's protocol while <see cref="EventLoop.Sendfile"/> writes a file through
/// it by reading and writing (asyncio's <c>_SendfileFallbackProtocol</c>): reading is paused, the
/// pause/resume of writing becomes <see cref="Drain"/>'s wait, and the connection's loss still
/// reaches the real protocol. <see cref="Restore"/> gives the transport its protocol back and
/// tells it the writing state it missed.
/// </summary>
internal sealed class SendfileFallbackProtocol : IProtocol
{
    private readonly EventLoop _loop;
    private readonly SocketTransport _transport;
    private readonly IBaseProtocol _protocol;
    private readonly bool _resumeReading;
    private readonly bool _pausedAtStart;
    private Future<Unit>? _writeReady;
    private bool _lost;

    public SendfileFallbackProtocol(EventLoop loop, SocketTransport transport)
    {
        _loop = loop;
        _transport = transport;
        _protocol = transport.GetProtocol();
        _resumeReading = transport.IsReading;
        _pausedAtStart = transport.WritingPaused;
        transport.PauseReading();
        transport.SetProtocol(this);
        if (_pausedAtStart)
            _writeReady = loop.CreateFuture<Unit>();
    }

    /// <summary>Returns once the transport takes more (at once unless writing is paused).</summary>
    /// <exception cref="SocketException">The connection is closing or was lost.</exception>
    public async Coroutine Drain()
    {
        if (_transport.IsClosing)
            throw new SocketException((int)SocketError.ConnectionReset, "Connection closed by peer");
        if (_writeReady is { } writeReady)
            await writeReady;
    }

    /// <summary>Puts the real protocol back, resumes reading if it was on, and tells the protocol
    /// of a pause or resume of writing that happened meanwhile, unless the connection was lost.</summary>
    public void Restore()
    {
        _transport.SetProtocol(_protocol);
        if (_resumeReading)
            _transport.ResumeReading();
        if (_writeReady is { Done: false } writeReady)
            writeReady.Cancel();
        // A protocol whose connection was lost meanwhile hears nothing after its ConnectionLost.
        if (_lost)
            return;
        var pausedNow = _transport.WritingPaused;
        if (_pausedAtStart && !pausedNow)
            _protocol.ResumeWriting();
        else if (!_pausedAtStart && pausedNow)
            _protocol.PauseWriting();
    }

    public void ConnectionMade(ITransport transport) =>
        throw new InvalidOperationException("Invalid state: connection should have been established already.");

    public void ConnectionLost(Exception? exception)
    {
        _lost = true;
        if (_writeReady is { Done: false } writeReady)
            writeReady.SetException(exception ?? new SocketException((int)SocketError.ConnectionReset, "Connection is closed by peer"));
        _protocol.ConnectionLost(exception);
    }

    public void PauseWriting() => _writeReady ??= _loop.CreateFuture<Unit>();

    public void ResumeWriting()
    {
        if (_writeReady is not { } writeReady)
            return;
        _writeReady = null;
        if (!writeReady.Done)
            writeReady.SetResult(Unit.Value);
    }

    public void DataReceived(ReadOnlySpan<byte> data) =>
        throw new InvalidOperationException("Invalid state: reading should be paused");

    public bool EofReceived() =>
        throw new InvalidOperationException("Invalid state: reading should be paused");
}

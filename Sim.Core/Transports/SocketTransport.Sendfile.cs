using System.Net.Sockets;

namespace Sim.Core;

internal sealed partial class SocketTransport
{
    // Set while a native sendfile owns the socket: done once the write buffer is empty; writes
    // are refused meanwhile (asyncio's _empty_waiter).
    private Future<Unit>? _emptyWaiter;

    /// <summary>Whether a <see cref="EventLoop.Sendfile"/> (native or fallback) is sending over this transport.</summary>
    internal bool SendfileInProgress { get; set; }

    /// <summary>Whether the protocol is paused for writing (the sendfile fallback takes it over).</summary>
    internal bool WritingPaused => _flow.Paused;

    /// <summary>
    /// The transport's side of a native sendfile (asyncio's <c>_sendfile_native</c>): reading
    /// paused, the write buffer flushed, then the socket handed to <see cref="EventLoop.SockSendfile"/>
    /// without fallback; reading resumes after.
    /// </summary>
    /// <exception cref="SendfileNotAvailableException">The backend or the file has no sendfile.</exception>
    internal async Coroutine<long> SendfileNative(Stream file, long offset, long? count)
    {
        var resumeReading = IsReading;
        PauseReading();
        var waiter = _loop.CreateFuture<Unit>();
        _emptyWaiter = waiter;
        if (_writeBuffer.Length == 0)
            waiter.SetResult(Unit.Value);
        try
        {
            await waiter;
            return await _loop.SockSendfile(_socket, file, offset, count, fallback: false);
        }
        catch (ObjectDisposedException) when (_connectionLost > 0)
        {
            // The transport was closed or aborted while the file was being sent.
            throw new SocketException((int)SocketError.ConnectionReset, "Connection is closed by peer");
        }
        finally
        {
            _emptyWaiter = null;
            if (resumeReading)
                ResumeReading();
        }
    }

    private void ThrowIfSendfileInProgress()
    {
        if (_emptyWaiter is not null)
            throw new InvalidOperationException("unable to write; sendfile is in progress");
    }

    /// <summary>The write buffer is empty: a sendfile waiting for it goes on.</summary>
    private void WriteBufferEmptied()
    {
        if (_emptyWaiter is { Done: false } waiter)
            waiter.SetResult(Unit.Value);
    }

    /// <summary>The connection is gone: a sendfile waiting for the buffer to empty fails, and one
    /// waiting for the socket to take more wakes up to find it closed.</summary>
    private void FailEmptyWaiter()
    {
        if (_emptyWaiter is not { } waiter)
            return;
        if (!waiter.Done)
            waiter.SetException(new SocketException((int)SocketError.ConnectionReset, "Connection is closed by peer"));
        _loop.WakeWaitersOfClosed(_socket);
    }
}

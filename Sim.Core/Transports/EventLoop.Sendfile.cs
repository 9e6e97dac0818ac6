namespace Sim.Core;

public sealed partial class EventLoop
{
    // Bytes read and written per step when sendfile falls back on a transport (asyncio's 16 KiB):
    // small steps, each waiting for the transport to drain, keep the buffered bytes bounded.
    private const int SendfileFallbackReadSizeMax = 16 * 1024;

    /// <summary>
    /// Sends <paramref name="file"/> over <paramref name="transport"/> (asyncio's <c>loop.sendfile</c>):
    /// <paramref name="count"/> bytes from <paramref name="offset"/> (to the end when null). With
    /// the backend's sendfile when it has one and <paramref name="file"/> is a
    /// <see cref="FileStream"/> (reading is paused and the write buffer flushed first; writes are
    /// refused meanwhile); otherwise the file is read in chunks and written, each chunk waiting
    /// while the transport's writing is paused. Returns the bytes sent; the file's position is
    /// then just after them.
    /// </summary>
    /// <param name="transport">The connected stream transport to send over.</param>
    /// <param name="file">What to send: a <see cref="FileStream"/> for the operating system's sendfile, any readable stream otherwise.</param>
    /// <param name="offset">Where in the file to start.</param>
    /// <param name="count">How many bytes at most; null: to the end of the file.</param>
    /// <param name="fallback">False: raise <see cref="SendfileNotAvailableException"/> rather than read and write.</param>
    /// <exception cref="InvalidOperationException">The transport is closing, or is not a socket transport.</exception>
    /// <exception cref="SendfileNotAvailableException">No sendfile here and <paramref name="fallback"/> is false.</exception>
    public Coroutine<long> Sendfile(ITransport transport, Stream file, long offset = 0, long? count = null, bool fallback = true)
    {
        ArgumentNullException.ThrowIfNull(transport);
        CheckSendfileArguments(file, offset, count);
        if (transport is not SocketTransport socketTransport)
            throw new InvalidOperationException($"sendfile is not supported for transport {transport}");
        if (transport.IsClosing)
            throw new InvalidOperationException("Transport is closing");
        return SendfileCore(socketTransport, file, offset, count, fallback);
    }

    private async Coroutine<long> SendfileCore(SocketTransport transport, Stream file, long offset, long? count, bool fallback)
    {
        // One sendfile at a time per transport: two would interleave their files on the wire.
        if (transport.SendfileInProgress)
            throw new InvalidOperationException("sendfile is already in progress on this transport");
        transport.SendfileInProgress = true;
        try
        {
            try
            {
                return await transport.SendfileNative(file, offset, count);
            }
            catch (SendfileNotAvailableException) when (fallback)
            {
            }
            return await SendfileFallback(transport, file, offset, count);
        }
        finally
        {
            transport.SendfileInProgress = false;
        }
    }

    private async Coroutine<long> SendfileFallback(SocketTransport transport, Stream file, long offset, long? count)
    {
        if (offset != 0)
            file.Seek(offset, SeekOrigin.Begin);
        var blockSize = (int)Math.Min(count ?? SendfileFallbackReadSizeMax, SendfileFallbackReadSizeMax);
        var buffer = new byte[blockSize];
        var protocol = new SendfileFallbackProtocol(this, transport);
        long total = 0;
        try
        {
            while (true)
            {
                var wanted = count is { } limit ? (int)Math.Min(limit - total, blockSize) : blockSize;
                if (wanted <= 0)
                    return total;
                var read = await RunInExecutor(() => file.Read(buffer, 0, wanted));
                if (read == 0)
                    return total;
                await protocol.Drain();
                transport.Write(buffer.AsSpan(0, read));
                total += read;
            }
        }
        finally
        {
            if (total > 0 && file.CanSeek)
                file.Seek(offset + total, SeekOrigin.Begin);
            protocol.Restore();
        }
    }
}

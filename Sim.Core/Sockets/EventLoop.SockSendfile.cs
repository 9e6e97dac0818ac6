namespace Sim.Core;

public sealed partial class EventLoop
{
    // Bytes read per step when sendfile falls back to reading and writing a socket (asyncio's
    // SENDFILE_FALLBACK_READBUFFER_SIZE): few steps for a large file, a bounded buffer.
    private const int SockSendfileReadSizeMax = 256 * 1024;

    // Bytes asked of one sendfile(2) call: Linux sends at most about this much per call anyway.
    private const int SendfileCallSizeMax = 0x7FFFF000;

    /// <summary>
    /// Sends <paramref name="file"/> over <paramref name="socket"/> (asyncio's <c>sock_sendfile</c>):
    /// <paramref name="count"/> bytes from <paramref name="offset"/> (to the end when null), with the
    /// operating system's sendfile when the backend has it and <paramref name="file"/> is a
    /// <see cref="FileStream"/>, otherwise by reading and sending in chunks. Returns the bytes
    /// sent; the file's position is then just after them.
    /// </summary>
    /// <param name="socket">The connected socket to send over.</param>
    /// <param name="file">What to send: a <see cref="FileStream"/> for the operating system's sendfile, any readable stream otherwise.</param>
    /// <param name="offset">Where in the file to start.</param>
    /// <param name="count">How many bytes at most; null: to the end of the file.</param>
    /// <param name="fallback">False: raise <see cref="SendfileNotAvailableException"/> rather than read and send.</param>
    /// <exception cref="SendfileNotAvailableException">No sendfile here and <paramref name="fallback"/> is false.</exception>
    /// <exception cref="System.Net.Sockets.SocketException">ConnectionReset, Shutdown, ...</exception>
    public Coroutine<long> SockSendfile(IStreamSocket socket, Stream file, long offset = 0, long? count = null, bool fallback = true)
    {
        ArgumentNullException.ThrowIfNull(socket);
        CheckSendfileArguments(file, offset, count);
        return SockSendfileCore(socket, file, offset, count, fallback);
    }

    private static void CheckSendfileArguments(Stream file, long offset, long? count)
    {
        ArgumentNullException.ThrowIfNull(file);
        if (!file.CanRead)
            throw new ArgumentException("file must be readable", nameof(file));
        if (offset < 0)
            throw new ArgumentOutOfRangeException(nameof(offset), offset, $"offset must be a non-negative integer (got {offset})");
        if (count is <= 0)
            throw new ArgumentOutOfRangeException(nameof(count), count, $"count must be a positive integer (got {count})");
    }

    private async Coroutine<long> SockSendfileCore(IStreamSocket socket, Stream file, long offset, long? count, bool fallback)
    {
        try
        {
            return await SockSendfileNative(socket, file, offset, count);
        }
        catch (SendfileNotAvailableException) when (fallback)
        {
        }
        return await SockSendfileFallback(socket, file, offset, count);
    }

    /// <summary>sendfile(2) until <paramref name="count"/> bytes or the end of the file, waiting
    /// for the socket to be writable whenever it takes nothing.</summary>
    private async Coroutine<long> SockSendfileNative(IStreamSocket socket, Stream file, long offset, long? count)
    {
        if (file is not FileStream { SafeFileHandle: var handle } fileStream)
            throw new SendfileNotAvailableException($"not a regular file: {file.GetType().Name} has no file descriptor to send from");
        if (!fileStream.CanSeek)
            throw new SendfileNotAvailableException("not a regular file: the stream cannot seek (a pipe or a device)");
        var size = count ?? Math.Max(0, fileStream.Length - offset);
        long total = 0;
        try
        {
            while (total < size)
            {
                int sent;
                try
                {
                    sent = socket.SendFile(handle, offset + total, (int)Math.Min(size - total, SendfileCallSizeMax));
                }
                catch (SendfileNotAvailableException error) when (total > 0)
                {
                    // A fallback now would send the first bytes again.
                    throw new InvalidOperationException($"sendfile failed after {total} bytes were sent", error);
                }
                if (sent == IStreamSocket.WouldBlock)
                {
                    await WaitWritable(socket);
                    continue;
                }
                if (sent == 0)
                    break;   // the end of the file
                total += sent;
            }
            return total;
        }
        finally
        {
            if (total > 0)
                fileStream.Seek(offset + total, SeekOrigin.Begin);
        }
    }

    /// <summary>Reads the file in chunks (in the executor, as blocking reads must be) and sends each
    /// with <see cref="SockSendall"/>, which waits while the socket takes nothing.</summary>
    private async Coroutine<long> SockSendfileFallback(IStreamSocket socket, Stream file, long offset, long? count)
    {
        if (offset != 0)
            file.Seek(offset, SeekOrigin.Begin);
        var blockSize = (int)Math.Min(count ?? SockSendfileReadSizeMax, SockSendfileReadSizeMax);
        var buffer = new byte[blockSize];
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
                await SockSendall(socket, buffer.AsMemory(0, read));
                total += read;
            }
        }
        finally
        {
            if (total > 0 && file.CanSeek)
                file.Seek(offset + total, SeekOrigin.Begin);
        }
    }

    /// <summary>Runs the reader and writer waiting on <paramref name="socket"/>, which its owner just
    /// closed: a closed socket never turns ready, so they would otherwise wait for ever. Their
    /// retry then fails as an operation on a closed socket does.</summary>
    internal void WakeWaitersOfClosed(IStreamSocket socket)
    {
        if (_socketWatchers.TryGetValue(socket, out var watcher))
            watcher.OnReady(IoReadiness.Readable | IoReadiness.Writable);
    }

    /// <summary>Returns once <paramref name="socket"/> is writable (a writer that removes itself,
    /// also when the wait is cancelled).</summary>
    private async Coroutine WaitWritable(IStreamSocket socket)
    {
        var writable = CreateFuture<Unit>();
        Action? writer = null;
        writer = () =>
        {
            RemoveCallback(socket, reader: false, only: writer);
            if (!writable.Done)
                writable.SetResult(Unit.Value);
        };
        AddWriter(socket, writer);
        writable.AddDoneCallback(_ => RemoveCallback(socket, reader: false, only: writer));
        await writable;
    }
}

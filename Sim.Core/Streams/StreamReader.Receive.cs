using System.Diagnostics;

namespace Sim.Core;

// Where a transport receives into (StreamReaderProtocol is a buffered protocol as well):
//  - straight into the buffer of a waiting ReadInto, when that holds at least DirectReceiveMin
//    bytes (at most its length is received then);
//  - for a waiting Read(n) whose connection's receives have come in one steady size, into a new
//    array of that size, which the read then returns as it is: the bytes are copied once, by the
//    socket, into the array the caller gets (a Read(n) echo or request/response exchange of
//    fixed-size messages). What runs past it goes to the scratch buffer below in the same
//    vectored receive (IStreamSocket.Receive(first, second); a socket without one leaves it for
//    the next receive) and is buffered after it, at the cost of a copy; a receive that falls
//    short of it is copied into an array of its length. Either breaks the steady size until two
//    receives in a row agree again. Only a transport that says when a receive brought nothing
//    (ISplitBufferedProtocol) gets the array, so a waiting read never keeps one unused;
//  - for a Read(n) reader whose receives are large, into a receive array taken from the thread's
//    spares while nothing is buffered, and given back once its bytes are all read (a connection at
//    rest holds none; the spares are as many as the busiest moment had unread at once): the bytes
//    stay there until a read copies them out, so the array Read(n) returns is made at the read and
//    lives only as long as its caller keeps it (a chunk made at the receive would live from the
//    receive to the read: with many connections, megabytes that each collection finds alive and
//    promotes; the steady-size array above is made only for a read that waits for it, and taken
//    when that read resumes, in the next loop iteration: at 100 connections of 100 KiB messages,
//    the collections during a batch of receives still find many alive);
//  - otherwise into a scratch buffer shared by the thread's readers, whose bytes are fed at once
//    as FeedData would feed them.
// The receive array and the scratch buffer start on a page boundary (PageAlignedBuffer: the
// kernel's copies into and out of a buffer a few bytes out of step with its pages are many times
// slower) and hold ReceiveSizeMax bytes, so a transport receives the same chunks it would pass to
// DataReceived.
public sealed partial class StreamReader
{
    // asyncio's max_size (256 KiB): what the socket transport receives at a time for a protocol
    // without a buffer of its own.
    private const int ReceiveSizeMax = 256 * 1024;

    /// <summary>A waiting <see cref="ReadInto"/> buffer at least this long is received into
    /// directly (the socket then gives at most its length at a time); a smaller one is filled by
    /// a copy, so a small buffer does not split a large transfer into as many small receives.
    /// A single receive this large also gives a <see cref="Read(int)"/> reader its own receive array.</summary>
    internal const int DirectReceiveMin = 16 * 1024;

    // One per thread: filled by a receive and fed at once, before any other receive can start.
    [ThreadStatic]
    private static ArraySegment<byte> s_receiveBuffer;

    // The receive arrays no reader holds now, on this thread.
    [ThreadStatic]
    private static Stack<ArraySegment<byte>>? s_spareReceiveArrays;

    // The reader's receive array, rented once a receive of DirectReceiveMin bytes or more came
    // for a Read(n) reader (small messages never cost one), while its bytes are unread.
    private ArraySegment<byte> _receiveArray;
    private bool _largeReceives;

    // What the last GetReceiveBuffer handed out, until ReceiveUpdated.
    private Wait? _receivingInto;
    private bool _receivingIntoArray;
    private byte[]? _receivingFresh;
    private int _receivingOverflow;

    // The Read(n) reader's last receive size, and that size again once two receives in a row had
    // it (0 otherwise): a waiting read then gets a new array of it to receive into.
    private int _lastReceive;
    private int _steadyReceive;

    /// <summary>Whether the reader holds a receive array now (only while its bytes are unread).</summary>
    internal bool HoldsReceiveArray => _receiveArray.Array is not null;

    /// <summary>The receive buffer of a reader-less protocol: its bytes are dropped.</summary>
    internal static Memory<byte> ScratchReceiveBuffer()
    {
        if (s_receiveBuffer.Array is null)
            s_receiveBuffer = PageAlignedBuffer.Allocate(ReceiveSizeMax);
        return s_receiveBuffer;
    }

    /// <summary>Where the transport's next receive goes (see the file's comment). With
    /// <paramref name="split"/>, the transport can receive into two buffers, and tells
    /// <see cref="ReceiveBuffersUnused"/> when a receive does not happen: then
    /// <paramref name="overflow"/> is where the rest of the receive goes (empty when the first
    /// buffer takes all there is to take). <see cref="ReceiveUpdated"/> follows before any other call.</summary>
    internal Memory<byte> GetReceiveBuffer(bool split, out Memory<byte> overflow)
    {
        _receivingInto = null;
        _receivingIntoArray = false;
        _receivingFresh = null;
        _receivingOverflow = 0;
        overflow = Memory<byte>.Empty;
        if (_eof)
            return ScratchReceiveBuffer();
        if (_waiter is { Woken: false } wait)
        {
            if (wait.Into.Length >= DirectReceiveMin && _deliveredTo is null)
            {
                _receivingInto = wait;
                return wait.Into;
            }
            if (split && _steadyReceive > 0 && _steadyReceive <= wait.ReadCount && _holdChunks && BufferedCount == 0)
            {
                _receivingFresh = GC.AllocateUninitializedArray<byte>(_steadyReceive);
                overflow = ScratchReceiveBuffer();
                _receivingOverflow = overflow.Length;
                return _receivingFresh;
            }
        }
        if (_largeReceives && _holdChunks && BufferedCount == 0)
        {
            _receivingIntoArray = true;
            if (_receiveArray.Array is null)
                _receiveArray = s_spareReceiveArrays is { Count: > 0 } spares ? spares.Pop() : PageAlignedBuffer.Allocate(ReceiveSizeMax);
            return _receiveArray;
        }
        return ScratchReceiveBuffer();
    }

    /// <summary>The transport received <paramref name="count"/> bytes into the buffer
    /// <see cref="GetReceiveBuffer"/> returned: the waiting read gets them, or they are buffered.</summary>
    /// <exception cref="InvalidOperationException">After <see cref="FeedEof"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException">More bytes than the buffer holds.</exception>
    internal void ReceiveUpdated(int count)
    {
        if (_receivingFresh is { } fresh)
        {
            var overflow = _receivingOverflow;
            _receivingFresh = null;
            ReceivedIntoFresh(fresh, overflow, count);
            return;
        }
        var into = _receivingInto;
        var intoArray = _receivingIntoArray;
        _receivingInto = null;
        _receivingIntoArray = false;
        Memory<byte> buffer;
        if (into is not null)
            buffer = into.Into;
        else if (intoArray)
            buffer = _receiveArray;
        else
            buffer = ScratchReceiveBuffer();
        if (count > buffer.Length)
        {
            if (intoArray)
                ReturnReceiveArray();
            throw new ArgumentOutOfRangeException(nameof(count), count, $"More bytes than the receive buffer holds ({buffer.Length})");
        }
        if (into is null && !intoArray)
        {
            if (_holdChunks)
                NoteReceiveSize(count);
            FeedData(buffer.Span[..count]);
            return;
        }
        if (_eof)
            throw new InvalidOperationException("feed_data after feed_eof");
        if (count == 0)
        {
            if (intoArray)
                ReturnReceiveArray();
            return;
        }
        Debug.Assert(BufferedCount == 0, "nothing runs between a receive's two calls");
        if (into is not null)
        {
            Debug.Assert(_waiter == into, "the read received into still waits");
            into.Delivered = count;
            _deliveredTo = into;
            WakeupWaiter();
            return;
        }
        NoteReceiveSize(count);
        _chunk = _receiveArray.Array;
        _chunkStart = _receiveArray.Offset;
        _chunkEnd = _receiveArray.Offset + count;
        Fed();
    }

    /// <summary>The receive <see cref="GetReceiveBuffer"/> prepared brought no bytes (it would
    /// have blocked, failed, or met the end of the stream): a new array made for it is dropped,
    /// not kept while the read waits.</summary>
    internal void ReceiveBuffersUnused()
    {
        // A receive array taken for this receive goes back too: an idle connection holds none.
        if (_receivingIntoArray && _chunk != _receiveArray.Array)
            ReturnReceiveArray();
        _receivingFresh = null;
        _receivingInto = null;
        _receivingIntoArray = false;
    }

    /// <summary>The receive went to <paramref name="fresh"/>, the new array a waiting Read(n) gets,
    /// and what ran past its end to the scratch buffer.</summary>
    private void ReceivedIntoFresh(byte[] fresh, int overflow, int count)
    {
        if (count > fresh.Length + overflow)
            throw new ArgumentOutOfRangeException(nameof(count), count, $"More bytes than the receive buffers hold ({fresh.Length + overflow})");
        if (_eof)
            throw new InvalidOperationException("feed_data after feed_eof");
        if (count == 0)
            return;
        Debug.Assert(BufferedCount == 0, "nothing runs between a receive's two calls");
        NoteReceiveSize(count);
        _chunk = fresh;
        _chunkStart = 0;
        _chunkEnd = Math.Min(count, fresh.Length);
        if (count > fresh.Length)
        {
            SpillChunk();
            _buffer.Append(ScratchReceiveBuffer().Span[..(count - fresh.Length)]);
        }
        Fed();
    }

    /// <summary>Keeps the Read(n) reader's receive sizes: a steady size, and whether they are large.</summary>
    private void NoteReceiveSize(int count)
    {
        _steadyReceive = count == _lastReceive ? count : 0;
        _lastReceive = count;
        if (count >= DirectReceiveMin)
            _largeReceives = true;
    }

    /// <summary>No more receives: the receive array goes back, unless it still holds unread bytes
    /// (then it goes when they are read).</summary>
    private void ReleaseReceiveArray()
    {
        if (_receiveArray.Array is not null && _chunk != _receiveArray.Array)
            ReturnReceiveArray();
        _largeReceives = false;
    }

    private void ReturnReceiveArray()
    {
        (s_spareReceiveArrays ??= new()).Push(_receiveArray);
        _receiveArray = default;
    }
}

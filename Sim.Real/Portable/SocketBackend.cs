using System.Collections.Concurrent;
using Sim.Core;
using Sim.Real.Execution;

namespace Sim.Real.Portable;

/// <summary>
/// The portable backend: .NET's completion-based sockets (IOCP on Windows, the runtime's own
/// epoll engine on Linux, kqueue on macOS) behind the loop's readiness model, the way libuv
/// runs on Windows. Completions arrive on thread-pool threads and are handed to the loop thread
/// through a queue that <see cref="Poll"/> drains; watchers are told only there.
/// </summary>
/// <remarks>
/// <para>Some facts about completions versus readiness, which shape this backend:</para>
/// <list type="bullet">
/// <item>A completion says an operation <em>happened</em>; readiness says one <em>would not
/// block</em>. The loop wants readiness, so each socket keeps at most one receive and one send
/// (or connect, or accept) outstanding and turns their completions into readiness: Readable =
/// received bytes wait in the socket's own buffer, or the end of the stream, or an error;
/// Writable = its bounded send buffer has room.</item>
/// <item>Idle sockets hold no receive buffer: they wait with a zero-byte receive (the libuv and
/// Kestrel trick: it completes when data, the end or an error is there, and takes nothing;
/// .NET makes it a one-byte peek on Unix). Only then is a real receive posted, into a pooled
/// buffer, and it nearly always completes at once.</item>
/// <item>The socket's receive and send buffers stand in for the kernel's: they are the
/// primitive's own state, invisible above <see cref="IStreamSocket"/>. Buffering that user code
/// can observe (transports, streams) stays in Sim.Core.</item>
/// <item>Nothing on the data path is a synchronous socket call: .NET refuses a blocking call
/// while an asynchronous one is pending ("cannot block a call on this socket..."), so every byte
/// moves through the one outstanding receive or send; only calls that never block (bind,
/// listen, shutdown, options, close) are made directly.</item>
/// <item>Completions need a free thread-pool thread (on Linux the runtime's epoll thread hands
/// them to the pool; IOCP completions go through it too). A process whose pool threads are all
/// blocked sees its I/O wait for the pool to add a thread (about half a second each); test hosts
/// that run synchronous tests on pool threads show it on their first connection.</item>
/// <item>A pending operation cancelled by closing turns .NET's close into a reset unless the
/// sending side was shut down first, so a graceful close always shuts the sending side
/// before disposing of the socket.</item>
/// </list>
/// <para>Wake-ups: completions and <see cref="Wakeup"/> set one event. <see cref="Poll"/> resets it
/// only after a wait it ended, and drains the queue after the reset: an item queued before the
/// reset is drained now, one queued after it sets the event again. None is lost.</para>
/// </remarks>
public sealed partial class SocketBackend : IIoBackend, INetworkBackend
{
    // Completions wait here for the loop thread. Bounded without a limit of its own: an endpoint
    // has at most two operations outstanding (receive; send, connect or accept), each queued once.
    private readonly ConcurrentQueue<SocketOperation> _completions = new();

    // Set by completions and Wakeup, reset by Poll after a wait. Never disposed: a completion
    // posted on the thread pool while Dispose runs may still set it, and it never creates the
    // kernel event that disposing would free (nothing asks for its WaitHandle).
    private readonly ManualResetEventSlim _signal = new(false);

    // Written on the loop thread, read by Post on the thread pool as well.
    private volatile bool _disposed;

    /// <summary>A backend whose closed sockets deliver what they had accepted for up to a minute.</summary>
    public SocketBackend()
    {
    }

    /// <summary>A backend with another bound on lingering closes (tests use a short one).</summary>
    internal SocketBackend(long lingerTimeMaxMs)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(lingerTimeMaxMs);
        _lingerTimeMaxMs = lingerTimeMaxMs;
    }

    /// <inheritdoc/>
    public bool Poll(long timeoutNs, bool outsideWorkInFlight)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        DrainCompletions();
        // Level-triggered: with something ready and watched, Poll returns at once, as epoll_wait does.
        if (ReportReady() == 0 && timeoutNs != 0)
        {
            Wait(timeoutNs);
            DrainCompletions();
            ReportReady();
        }
        ExpireLingeringCloses();
        return true;
    }

    /// <inheritdoc/>
    public void Wakeup() => _signal.Set();

    /// <inheritdoc/>
    public IExecutor CreateDefaultExecutor() => new ThreadPoolExecutor();

    /// <inheritdoc/>
    public IDisposable WatchSignal(int signum, Action<int> received) => PosixSignals.Watch(signum, received);

    /// <summary>Closes every socket and listener still open (bytes not yet sent are dropped, with a
    /// reset), so that closing the loop leaks no descriptor.</summary>
    public void Dispose()
    {
        if (_disposed)
            return;
        _disposed = true;
        // Against Post's enqueue-then-check: either Post sees the flag, or the drain below sees its item.
        Interlocked.MemoryBarrier();
        foreach (var endpoint in _endpoints.ToArray())
            endpoint.CloseWithBackend();
        _endpoints.Clear();
        _lingering.Clear();
        _ready.Clear();
        DropCompletions();
    }

    /// <summary>Completions queued and not yet drained by <see cref="Poll"/> (tests wait for one).</summary>
    internal int CompletionsQueued => _completions.Count;

    /// <summary>Queues a completion for the loop thread. Called on thread-pool threads.</summary>
    internal void Post(SocketOperation operation)
    {
        _completions.Enqueue(operation);
        Interlocked.MemoryBarrier();
        if (_disposed)
            DropCompletions();
        else
            _signal.Set();
    }

    /// <summary>After <see cref="Dispose"/> no Poll drains the queue: this does, on whichever
    /// thread gets there first (Dispose's or a posting one; each completion is dequeued once).
    /// The endpoints are closed; what a completion can still hold is an accept's socket: a
    /// connection the kernel accepted just before its listener closed (reset, as the kernel resets
    /// a closed listener's backlog, not left open and unowned), or on Windows the socket an
    /// aborted accept had made ready.</summary>
    private void DropCompletions()
    {
        while (_completions.TryDequeue(out var operation))
        {
            if (operation.AcceptSocket is { } accepted)
            {
                operation.AcceptSocket = null;
                SocketStreamListener.Reset(accepted);
            }
            operation.Dispose();
        }
    }

    private void DrainCompletions()
    {
        while (_completions.TryDequeue(out var operation))
            operation.Owner.Complete(operation);
    }

    /// <summary>Blocks until a completion, a wake-up, the timeout or the next lingering close's deadline.</summary>
    private void Wait(long timeoutNs)
    {
        var timeoutMs = timeoutNs < 0 ? Timeout.Infinite : (int)Math.Min((timeoutNs + 999_999) / 1_000_000, int.MaxValue);
        if (LingeringDeadlineMs() is { } lingerMs && (timeoutMs == Timeout.Infinite || lingerMs < timeoutMs))
            timeoutMs = lingerMs;
        if (_signal.Wait(timeoutMs))
            _signal.Reset();
    }
}

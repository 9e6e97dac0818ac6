using System.Runtime.InteropServices;
using Sim.Core;
using Sim.Real.Execution;

namespace Sim.Real.Linux;

/// <summary>
/// The Linux backend: epoll, with an eventfd for <see cref="Wakeup"/>. Its system calls happen
/// on the loop thread (the libuv/uvloop model): no thread hops.
/// </summary>
/// <remarks>
/// Some facts about the wake-up: <see cref="Wakeup"/> writes the eventfd only when no write is
/// already pending, so a burst of <c>CallSoonThreadsafe</c> costs one system call. The flag is
/// cleared after the eventfd is drained: a wake-up that still saw it set had queued its
/// callback before the clear, and the loop looks at its thread-safe queue after every poll, so
/// that callback runs; a wake-up after the clear writes again. None is lost.
/// </remarks>
public sealed unsafe partial class EpollBackend : IIoBackend, INetworkBackend
{
    // Events fetched per epoll_wait: one page of them is plenty for a wake-up-only backend and
    // keeps the buffer small; more ready descriptors are simply fetched on the next iteration.
    private const int EventsPerPollMax = 256;

    private readonly int _epollFd;
    private readonly int _wakeupFd;
    private readonly byte* _events;
    // The sockets and listeners opened here and not yet closed, which Dispose closes.
    private readonly HashSet<IDisposable> _open = [];
    private int _wakeupPending;
    private bool _disposed;

    /// <summary>Opens the epoll instance and its eventfd wake-up (Linux only).</summary>
    public EpollBackend()
    {
        if (!OperatingSystem.IsLinux())
            throw new PlatformNotSupportedException("EpollBackend needs Linux; use SocketBackend (RealBackendKind.Portable) elsewhere.");
        _epollFd = LibC.EpollCreate1(LibC.EpollCloexec);
        if (_epollFd < 0)
            throw LibC.Error("epoll_create1");
        _wakeupFd = LibC.EventFd(0, LibC.EfdCloexec | LibC.EfdNonblock);
        if (_wakeupFd < 0)
        {
            // The error first: close's own P/Invoke resets the last error.
            var error = LibC.Error("eventfd");
            LibC.Close(_epollFd);
            throw error;
        }
        _events = (byte*)NativeMemory.AllocZeroed((nuint)(EventsPerPollMax * LibC.EpollEventSize));
        var registration = stackalloc byte[16];
        *(uint*)registration = LibC.EpollIn;
        *(long*)(registration + LibC.EpollDataOffset) = WakeupToken;
        if (LibC.EpollCtl(_epollFd, LibC.EpollCtlAdd, _wakeupFd, registration) < 0)
        {
            // ENOSPC (max_user_watches) or ENOMEM: nothing of this backend may outlive the throw.
            var error = LibC.Error("epoll_ctl");
            LibC.Close(_wakeupFd);
            LibC.Close(_epollFd);
            NativeMemory.Free(_events);
            throw error;
        }
    }

    /// <inheritdoc/>
    public bool Poll(long timeoutNs, bool outsideWorkInFlight)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        var timeoutMs = timeoutNs < 0 ? -1 : (int)Math.Min((timeoutNs + 999_999) / 1_000_000, int.MaxValue);
        var count = LibC.EpollWait(_epollFd, _events, EventsPerPollMax, timeoutMs);
        if (count < 0)
        {
            if (Marshal.GetLastPInvokeError() == LibC.Eintr)
                return true;
            throw LibC.Error("epoll_wait");
        }
        for (var i = 0; i < count; i++)
        {
            var entry = _events + i * LibC.EpollEventSize;
            var token = (int)*(long*)(entry + LibC.EpollDataOffset);
            if (token == WakeupToken)
                DrainWakeup();
            else
                Dispatch(token, *(uint*)entry);
        }
        return true;
    }

    /// <inheritdoc/>
    public void Wakeup()
    {
        if (Interlocked.Exchange(ref _wakeupPending, 1) != 0 || Volatile.Read(ref _disposed))
            return;
        ulong one = 1;
        LibC.Write(_wakeupFd, &one, sizeof(ulong));
    }

    /// <summary>Send system calls made by the stream sockets (send and sendmsg): how tests see
    /// that a vectored write is one call.</summary>
    internal long SendCalls { get; set; }

    /// <summary>sendfile system calls made by the stream sockets: how tests see the native path taken.</summary>
    internal long SendfileCalls { get; set; }

    /// <inheritdoc/>
    public IDescriptorWatch WatchDescriptor(int fd)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(fd);
        ObjectDisposedException.ThrowIf(_disposed, this);
        return new EpollDescriptorWatch(this, fd);
    }

    /// <inheritdoc/>
    public IExecutor CreateDefaultExecutor() => new ThreadPoolExecutor();

    /// <inheritdoc/>
    public IDisposable WatchSignal(int signum, Action<int> received) => PosixSignals.Watch(signum, received);

    /// <inheritdoc/>
    public void Dispose()
    {
        if (_disposed)
            return;
        CloseOpenDescriptors();
        Volatile.Write(ref _disposed, true);
        LibC.Close(_wakeupFd);
        LibC.Close(_epollFd);
        NativeMemory.Free(_events);
    }

    /// <summary>
    /// Drains the eventfd, then clears the flag, in that order. Cleared first, a wake-up racing
    /// in between would set the flag and write, the drain would swallow its write, and the flag
    /// would stay set with nothing to wake the next poll: every later wake-up would be skipped.
    /// </summary>
    private void DrainWakeup()
    {
        ulong value;
        LibC.Read(_wakeupFd, &value, sizeof(ulong));
        Volatile.Write(ref _wakeupPending, 0);
    }
}

namespace Sim.Core;

/// <summary>
/// What a backend supplies to the loop: a way to wait for I/O (or for time to pass), a
/// thread-safe wake-up, and a place to run blocking work. Everything user code can observe is
/// decided by the loop in Sim.Core; a backend only supplies primitives.
/// </summary>
public interface IIoBackend : IDisposable
{
    /// <summary>
    /// Waits at most <paramref name="timeoutNs"/> nanoseconds (<see cref="InfiniteTimeout"/>
    /// for no limit) for I/O or a <see cref="Wakeup"/>, and queues the I/O callbacks on the loop.
    /// </summary>
    /// <param name="timeoutNs">0 to poll without waiting; <see cref="InfiniteTimeout"/> to wait for ever.</param>
    /// <param name="outsideWorkInFlight">
    /// True while work outside the loop's control (a foreign awaitable, a thread-pool job) may
    /// still call <c>CallSoonThreadsafe</c>: a virtual-time backend must then wait for it in
    /// real time rather than declare a deadlock.
    /// </param>
    /// <returns>
    /// False when the backend can prove that an infinite wait would never end: nothing it
    /// watches can happen and no outside work is in flight. The loop then reports a deadlock.
    /// </returns>
    bool Poll(long timeoutNs, bool outsideWorkInFlight);

    /// <summary>
    /// True while the backend has events of its own to come at known times (a simulated
    /// network's deliveries, a signal sent for later). Like the loop's timers, they let virtual
    /// time move on while a foreign awaitable is pending (often a loop future seen through a
    /// .NET task, as <c>await using</c> of a server awaits), instead of waiting for it in real time.
    /// </summary>
    bool HasScheduledEvents => false;

    /// <summary>Makes a current or the next <see cref="Poll"/> return promptly. Thread-safe.</summary>
    void Wakeup();

    /// <summary>The executor <c>RunInExecutor</c> uses until the loop is given another.</summary>
    IExecutor CreateDefaultExecutor();

    /// <summary>
    /// Watches any file descriptor (a pipe, an eventfd...) for readiness, for
    /// <see cref="EventLoop.AddReader(int, Action)"/> and its kin. Only backends over the
    /// operating system's descriptors can; the others keep this default.
    /// </summary>
    /// <exception cref="NotSupportedException">The backend has no file descriptors to watch (the
    /// simulation, the portable backend).</exception>
    IDescriptorWatch WatchDescriptor(int fd) =>
        throw new NotSupportedException(
            $"{GetType().Name} cannot watch file descriptors (add_reader/add_writer on a descriptor needs the epoll backend: RealBackendKind.Epoll on Linux).");

    /// <summary>
    /// Starts delivering signal <paramref name="signum"/> (a Linux number, checked by the loop:
    /// catchable, in range) to <paramref name="received"/> instead of its default action, until
    /// the returned registration is disposed. <paramref name="received"/> is thread-safe and may
    /// be called on any thread; the loop schedules the handler itself.
    /// </summary>
    /// <exception cref="NotSupportedException">The backend has no signals (the default).</exception>
    /// <exception cref="PlatformNotSupportedException">The platform cannot deliver this signal.</exception>
    IDisposable WatchSignal(int signum, Action<int> received) =>
        throw new NotSupportedException($"{GetType().Name} cannot deliver signals (add_signal_handler needs the simulated or a real backend).");

    /// <summary>The timeout value that means "wait until something happens".</summary>
    public const long InfiniteTimeout = -1;
}

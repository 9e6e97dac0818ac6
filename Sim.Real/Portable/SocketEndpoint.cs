using Sim.Core;

namespace Sim.Real.Portable;

/// <summary>
/// What <see cref="SocketBackend"/> knows of each socket and listener it owns: the interest the
/// loop declared, what the endpoint is ready for, and how it finishes its operations. Loop
/// thread only.
/// </summary>
internal abstract class SocketEndpoint(SocketBackend backend)
{
    protected SocketBackend Backend { get; } = backend;

    /// <summary>Who hears about readiness; null when nobody watches.</summary>
    public IIoWatcher? Watcher { get; private set; }

    /// <summary>What the loop wants to hear about.</summary>
    public IoReadiness Interest { get; private set; }

    /// <summary>Whether the endpoint is on the backend's ready list (at most once).</summary>
    public bool InReadyList { get; set; }

    /// <summary>What the endpoint is ready for now, whatever the interest.</summary>
    public abstract IoReadiness Readiness { get; }

    /// <summary>Finishes an operation that completed on another thread; called inside Poll.</summary>
    public abstract void Complete(SocketOperation operation);

    /// <summary>Closes at once because the backend is disposed of (the loop is closing).</summary>
    public abstract void CloseWithBackend();

    protected void SetWatch(IIoWatcher watcher, IoReadiness interest)
    {
        ArgumentNullException.ThrowIfNull(watcher);
        Watcher = interest == IoReadiness.None ? null : watcher;
        Interest = interest;
        Backend.MarkReady(this);
    }

    protected void StopWatching()
    {
        Watcher = null;
        Interest = IoReadiness.None;
    }

    /// <summary>Lists the endpoint for the next poll's report after a change of state.</summary>
    protected void Changed() => Backend.MarkReady(this);
}

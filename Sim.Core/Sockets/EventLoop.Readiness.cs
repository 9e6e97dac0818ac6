namespace Sim.Core;

public sealed partial class EventLoop
{
    // Keyed by the socket or listener itself; looked up, never iterated.
    private readonly Dictionary<object, SocketWatcher> _socketWatchers = new(ReferenceEqualityComparer.Instance);

    /// <summary>
    /// Calls <paramref name="callback"/> while <paramref name="socket"/> is readable (data, end of
    /// stream or an error to receive), once per loop iteration, in phase 5 (asyncio's
    /// <c>add_reader</c>, level-triggered). One reader per socket: adding another replaces it.
    /// Remove it before closing the socket.
    /// </summary>
    public void AddReader(IStreamSocket socket, Action callback)
    {
        ArgumentNullException.ThrowIfNull(socket);
        SetCallback(socket, socket.Watch, callback, reader: true);
    }

    /// <summary>Calls <paramref name="callback"/> while a connection waits on
    /// <paramref name="listener"/>; see <see cref="AddReader(IStreamSocket, Action)"/>.</summary>
    public void AddReader(IStreamListener listener, Action callback)
    {
        ArgumentNullException.ThrowIfNull(listener);
        SetCallback(listener, listener.Watch, callback, reader: true);
    }

    /// <summary>Stops the reader of <paramref name="socket"/>, even one already queued for this
    /// iteration. True if one was registered.</summary>
    public bool RemoveReader(IStreamSocket socket)
    {
        ArgumentNullException.ThrowIfNull(socket);
        return RemoveCallback(socket, reader: true, only: null);
    }

    /// <inheritdoc cref="RemoveReader(IStreamSocket)"/>
    public bool RemoveReader(IStreamListener listener)
    {
        ArgumentNullException.ThrowIfNull(listener);
        return RemoveCallback(listener, reader: true, only: null);
    }

    /// <summary>
    /// Calls <paramref name="callback"/> while <paramref name="socket"/> is writable (a send would
    /// take bytes, or a connect has finished), once per iteration, in phase 5 (asyncio's
    /// <c>add_writer</c>). One writer per socket: adding another replaces it.
    /// </summary>
    public void AddWriter(IStreamSocket socket, Action callback)
    {
        ArgumentNullException.ThrowIfNull(socket);
        SetCallback(socket, socket.Watch, callback, reader: false);
    }

    /// <summary>Stops the writer of <paramref name="socket"/>. True if one was registered.</summary>
    public bool RemoveWriter(IStreamSocket socket)
    {
        ArgumentNullException.ThrowIfNull(socket);
        return RemoveCallback(socket, reader: false, only: null);
    }

    private void SetCallback(object endpoint, Action<IIoWatcher, IoReadiness> watch, Action callback, bool reader)
    {
        ArgumentNullException.ThrowIfNull(callback);
        CheckClosed();
        if (!_socketWatchers.TryGetValue(endpoint, out var watcher))
            _socketWatchers[endpoint] = watcher = new SocketWatcher(this, watch);
        var registration = new SocketWatcher.Registration(callback);
        var previous = reader ? watcher.Reader : watcher.Writer;
        if (previous is not null)
            previous.Active = false;
        if (reader)
            watcher.Reader = registration;
        else
            watcher.Writer = registration;
        watcher.Update();
    }

    /// <summary>Removes the reader or writer; with <paramref name="only"/>, only if it is that
    /// callback (a sock_* operation cleaning up must not remove a reader added after it).</summary>
    private bool RemoveCallback(object endpoint, bool reader, Action? only)
    {
        if (!_socketWatchers.TryGetValue(endpoint, out var watcher))
            return false;
        var registration = reader ? watcher.Reader : watcher.Writer;
        if (registration is null || (only is not null && registration.Callback != only))
            return false;
        registration.Active = false;
        if (reader)
            watcher.Reader = null;
        else
            watcher.Writer = null;
        if (watcher.IsEmpty)
            _socketWatchers.Remove(endpoint);
        watcher.Update();
        return true;
    }
}

using System.Runtime.InteropServices;

namespace Sim.Core;

public sealed partial class EventLoop
{
    // The descriptors watched for AddReader/AddWriter, by number; looked up, never iterated.
    private readonly Dictionary<int, IDescriptorWatch> _descriptorWatches = [];

    /// <summary>
    /// Calls <paramref name="callback"/> while file descriptor <paramref name="fd"/> is readable
    /// (asyncio's <c>add_reader(fd, callback)</c>: a pipe, an eventfd...), once per loop
    /// iteration, in phase 5, level-triggered. One reader per descriptor: adding another replaces
    /// it. The descriptor stays the caller's; remove the reader before closing it.
    /// </summary>
    /// <exception cref="NotSupportedException">The backend cannot watch descriptors (the
    /// simulation, the portable backend).</exception>
    /// <exception cref="ArgumentException">The descriptor cannot be watched (a regular file...).</exception>
    public void AddReader(int fd, Action callback) => SetDescriptorCallback(fd, callback, reader: true);

    /// <summary>Calls <paramref name="callback"/> while <paramref name="fd"/> is writable (asyncio's
    /// <c>add_writer(fd, callback)</c>); see <see cref="AddReader(int, Action)"/>.</summary>
    public void AddWriter(int fd, Action callback) => SetDescriptorCallback(fd, callback, reader: false);

    /// <summary>Stops the reader of <paramref name="fd"/>, even one already queued for this
    /// iteration. True if one was registered.</summary>
    public bool RemoveReader(int fd) => RemoveDescriptorCallback(fd, reader: true);

    /// <summary>Stops the writer of <paramref name="fd"/>. True if one was registered.</summary>
    public bool RemoveWriter(int fd) => RemoveDescriptorCallback(fd, reader: false);

    /// <summary>AddReader on the descriptor of <paramref name="handle"/> (a <c>SafePipeHandle</c>,
    /// a <c>SafeFileHandle</c>...); see <see cref="AddReader(int, Action)"/>.</summary>
    public void AddReader(SafeHandle handle, Action callback) => AddReader(DescriptorOf(handle), callback);

    /// <summary>AddWriter on the descriptor of <paramref name="handle"/>; see <see cref="AddWriter(int, Action)"/>.</summary>
    public void AddWriter(SafeHandle handle, Action callback) => AddWriter(DescriptorOf(handle), callback);

    /// <summary>RemoveReader on the descriptor of <paramref name="handle"/>.</summary>
    public bool RemoveReader(SafeHandle handle) => RemoveReader(DescriptorOf(handle));

    /// <summary>RemoveWriter on the descriptor of <paramref name="handle"/>.</summary>
    public bool RemoveWriter(SafeHandle handle) => RemoveWriter(DescriptorOf(handle));

    private static int DescriptorOf(SafeHandle handle)
    {
        ArgumentNullException.ThrowIfNull(handle);
        ObjectDisposedException.ThrowIf(handle.IsClosed, handle);
        if (handle.IsInvalid)
            throw new ArgumentException("The handle is invalid: it holds no file descriptor.", nameof(handle));
        return checked((int)handle.DangerousGetHandle());
    }

    private void SetDescriptorCallback(int fd, Action callback, bool reader)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(fd);
        ArgumentNullException.ThrowIfNull(callback);
        CheckClosed();
        var created = !_descriptorWatches.TryGetValue(fd, out var watch);
        if (created)
            watch = _backend.WatchDescriptor(fd);
        try
        {
            SetCallback(watch!, watch!.Watch, callback, reader);
        }
        catch when (created)
        {
            _socketWatchers.Remove(watch!);
            watch!.Close();
            throw;
        }
        _descriptorWatches[fd] = watch;
    }

    private bool RemoveDescriptorCallback(int fd, bool reader)
    {
        if (!_descriptorWatches.TryGetValue(fd, out var watch))
            return false;
        var removed = RemoveCallback(watch, reader, only: null);
        if (!_socketWatchers.ContainsKey(watch))
        {
            // Neither a reader nor a writer is left: the descriptor is no longer watched at all.
            _descriptorWatches.Remove(fd);
            watch.Close();
        }
        return removed;
    }
}

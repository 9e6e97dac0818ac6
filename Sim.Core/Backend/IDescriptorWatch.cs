namespace Sim.Core;

/// <summary>
/// A file descriptor the backend watches for readiness on behalf of user code (asyncio's
/// <c>add_reader(fd, ...)</c> on a pipe, an eventfd, a device...), from
/// <see cref="IIoBackend.WatchDescriptor"/>. The descriptor stays its owner's: the loop never
/// reads, writes or closes it. Loop thread only.
/// </summary>
public interface IDescriptorWatch
{
    /// <summary>The descriptor watched.</summary>
    int Descriptor { get; }

    /// <summary>Declares what the loop wants to hear about, as <see cref="IStreamSocket.Watch"/>
    /// does; <see cref="IoReadiness.None"/> stops watching (the watch can be taken up again).</summary>
    /// <exception cref="System.ArgumentException">The descriptor cannot be watched (a regular
    /// file, a descriptor already watched through a socket of the backend).</exception>
    /// <exception cref="System.ObjectDisposedException">The descriptor is not open.</exception>
    void Watch(IIoWatcher watcher, IoReadiness interest);

    /// <summary>Stops watching for good; the descriptor itself stays open. Idempotent.</summary>
    void Close();
}

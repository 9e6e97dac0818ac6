using Sim.Core;

namespace Sim.Real.Linux;

/// <summary>
/// The descriptors the loop watches. Each registration gets a token (its index here) that epoll
/// hands back with every event, so dispatch is an array lookup. Level-triggered: a descriptor
/// that stays ready is reported at every poll until the loop narrows its interest.
/// </summary>
public sealed unsafe partial class EpollBackend
{
    // The eventfd's token; descriptors get tokens from 1.
    private const int WakeupToken = 0;

    private readonly List<Registration?> _registrations = [null];
    private readonly Stack<int> _freeTokens = new();

    /// <summary>
    /// Sets the interest of <paramref name="fd"/>: registers it on first use (returning its new
    /// token), changes it, or removes it for <see cref="IoReadiness.None"/> (returning 0).
    /// </summary>
    internal int Watch(int token, int fd, IIoWatcher watcher, IoReadiness interest)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (interest == IoReadiness.None)
        {
            if (token != 0)
                Unregister(token, fd);
            return 0;
        }
        var operation = LibC.EpollCtlMod;
        if (token == 0)
        {
            token = _freeTokens.Count > 0 ? _freeTokens.Pop() : AddSlot();
            operation = LibC.EpollCtlAdd;
        }
        // A change of interest updates the registration in place: a transport that toggles
        // writable interest under backpressure allocates nothing.
        if (_registrations[token] is { } registration && operation == LibC.EpollCtlMod)
        {
            registration.Watcher = watcher;
            registration.Interest = interest;
        }
        else
        {
            _registrations[token] = new Registration(watcher, interest);
        }
        var entry = stackalloc byte[16];
        *(uint*)entry = EventsFor(interest);
        *(long*)(entry + LibC.EpollDataOffset) = token;
        if (LibC.EpollCtl(_epollFd, operation, fd, entry) < 0)
        {
            var error = LibC.Error("epoll_ctl");
            if (operation == LibC.EpollCtlAdd)
            {
                // Never registered: the token goes back.
                _registrations[token] = null;
                _freeTokens.Push(token);
            }
            throw error;
        }
        return token;
    }

    private void Unregister(int token, int fd)
    {
        // The descriptor may already be gone from the set (closed); what matters is the token.
        LibC.EpollCtl(_epollFd, LibC.EpollCtlDel, fd, null);
        _registrations[token] = null;
        _freeTokens.Push(token);
    }

    private int AddSlot()
    {
        _registrations.Add(null);
        return _registrations.Count - 1;
    }

    private void Dispatch(int token, uint events)
    {
        if (token >= _registrations.Count || _registrations[token] is not { } registration)
            return;
        var ready = IoReadiness.None;
        if ((events & (LibC.EpollIn | LibC.EpollHup | LibC.EpollErr | LibC.EpollRdHup)) != 0)
            ready |= IoReadiness.Readable;
        if ((events & (LibC.EpollOut | LibC.EpollHup | LibC.EpollErr)) != 0)
            ready |= IoReadiness.Writable;
        ready &= registration.Interest;
        if (ready != IoReadiness.None)
            registration.Watcher.OnReady(ready);
    }

    private static uint EventsFor(IoReadiness interest) =>
        ((interest & IoReadiness.Readable) != 0 ? LibC.EpollIn | LibC.EpollRdHup : 0)
        | ((interest & IoReadiness.Writable) != 0 ? LibC.EpollOut : 0);

    private sealed class Registration(IIoWatcher watcher, IoReadiness interest)
    {
        public IIoWatcher Watcher { get; set; } = watcher;

        public IoReadiness Interest { get; set; } = interest;
    }
}

namespace Sim.Core;

/// <summary>
/// The loop's one watcher on a backend socket or listener for <see cref="EventLoop.AddReader(IStreamSocket, Action)"/>
/// and its kin: at most one reader and one writer (asyncio's selector keeps one of each per
/// descriptor), the socket watched for what they need.
/// </summary>
internal sealed class SocketWatcher(EventLoop loop, Action<IIoWatcher, IoReadiness> watch) : IIoWatcher
{
    public Registration? Reader { get; set; }

    public Registration? Writer { get; set; }

    public bool IsEmpty => Reader is null && Writer is null;

    /// <summary>Queues the callbacks of what the socket is ready for; they run in phase 5 unless
    /// removed or replaced before then (asyncio cancels the handle).</summary>
    public void OnReady(IoReadiness readiness)
    {
        if ((readiness & IoReadiness.Readable) != 0 && Reader is { } reader)
            loop.CallSoon(static r => r.RunIfActive(), reader);
        if ((readiness & IoReadiness.Writable) != 0 && Writer is { } writer)
            loop.CallSoon(static r => r.RunIfActive(), writer);
    }

    /// <summary>Tells the backend what the registered callbacks need. A socket already closed
    /// dropped its watch when it closed, so there is nothing to stop.</summary>
    public void Update()
    {
        var interest = (Reader is null ? IoReadiness.None : IoReadiness.Readable)
            | (Writer is null ? IoReadiness.None : IoReadiness.Writable);
        try
        {
            watch(this, interest);
        }
        catch (ObjectDisposedException) when (interest == IoReadiness.None)
        {
        }
    }

    /// <summary>One registered callback; inactive once removed or replaced.</summary>
    internal sealed class Registration(Action callback)
    {
        public Action Callback { get; } = callback;

        public bool Active { get; set; } = true;

        public void RunIfActive()
        {
            if (Active)
                Callback();
        }
    }
}

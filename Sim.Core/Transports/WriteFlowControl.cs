namespace Sim.Core;

/// <summary>
/// A transport's write-buffer marks and the protocol's paused state (asyncio's
/// <c>_FlowControlMixin</c>): above the high mark the protocol is told to pause writing, at or
/// below the low mark to resume. Shared by the stream and datagram transports.
/// </summary>
internal sealed class WriteFlowControl(EventLoop loop, object transport)
{
    // asyncio's marks: pause the protocol above 64 KiB buffered, resume at 16 KiB.
    // A quarter keeps pause/resume from thrashing while the buffer drains.
    internal const int DefaultHighWater = 64 * 1024;

    public int High { get; private set; } = DefaultHighWater;

    public int Low { get; private set; } = DefaultHighWater / 4;

    /// <summary>Whether the protocol was told to pause and not yet to resume.</summary>
    public bool Paused => _paused;

    /// <summary>asyncio's <c>set_write_buffer_limits</c>: a missing mark derives from the other.</summary>
    public void SetLimits(int? high, int? low, int buffered, IBaseProtocol protocol)
    {
        var h = high ?? (low is { } l ? 4 * l : DefaultHighWater);
        var w = low ?? h / 4;
        if (!(h >= w && w >= 0))
            throw new ArgumentOutOfRangeException(high is null ? nameof(low) : nameof(high), $"high ({h}) must be >= low ({w}) must be >= 0");
        High = h;
        Low = w;
        MaybePause(buffered, protocol);
    }

    /// <summary>Tells the protocol to pause once <paramref name="buffered"/> is above the high mark.</summary>
    public void MaybePause(int buffered, IBaseProtocol protocol)
    {
        if (buffered <= High || _paused)
            return;
        _paused = true;
        try
        {
            protocol.PauseWriting();
        }
        catch (Exception error)
        {
            loop.CallExceptionHandler(new ExceptionContext($"protocol.PauseWriting() failed (transport {transport})", error));
        }
    }

    /// <summary>Tells a paused protocol to resume once <paramref name="buffered"/> is at or below the low mark.</summary>
    public void MaybeResume(int buffered, IBaseProtocol protocol)
    {
        if (!_paused || buffered > Low)
            return;
        _paused = false;
        try
        {
            protocol.ResumeWriting();
        }
        catch (Exception error)
        {
            loop.CallExceptionHandler(new ExceptionContext($"protocol.ResumeWriting() failed (transport {transport})", error));
        }
    }

    private bool _paused;
}

namespace Sim.Core;

/// <summary>The receiving side of a transport (asyncio's <c>ReadTransport</c>).</summary>
public interface IReadTransport : IBaseTransport
{
    /// <summary>True while the transport receives (not paused, not closing).</summary>
    bool IsReading { get; }

    /// <summary>Stops receiving until <see cref="ResumeReading"/>: the peer is pushed back once the
    /// network's buffers fill. Does nothing when paused or closing.</summary>
    void PauseReading();

    /// <summary>Receives again after <see cref="PauseReading"/>. Does nothing when not paused or closing.</summary>
    void ResumeReading();
}

namespace Sim.Core;

/// <summary>What an endpoint is ready for, or what the loop wants to hear about.</summary>
[Flags]
public enum IoReadiness
{
    /// <summary>Nothing: no interest, or not ready.</summary>
    None = 0,

    /// <summary>A receive (or an accept) would not block: data, end of stream, an error or a
    /// pending connection is there.</summary>
    Readable = 1,

    /// <summary>A send would not block, or a connect has finished (well or not).</summary>
    Writable = 2,
}

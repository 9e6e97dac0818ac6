using Sim.Core;

namespace Sim.Net;

/// <summary>A simulated endpoint the backend reports readiness for (a socket or a listener).</summary>
internal interface IReadinessSource
{
    /// <summary>What the loop asked to hear about.</summary>
    IoReadiness Interest { get; }

    /// <summary>What the endpoint is ready for now.</summary>
    IoReadiness Readiness { get; }

    /// <summary>Who to tell.</summary>
    IIoWatcher? Watcher { get; }

    /// <summary>True while on the network's armed list.</summary>
    bool Armed { get; set; }

    /// <summary>Its place on the network's list of open endpoints, while open.</summary>
    LinkedListNode<IReadinessSource>? Registration { get; set; }

    /// <summary>The endpoint for a deadlock report: host, protocol, addresses and state.</summary>
    string Describe();
}

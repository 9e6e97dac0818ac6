using Sim.Core;

namespace Sim.Real.Portable;

/// <summary>
/// Level-triggered readiness over completions: an endpoint whose state changed while watched
/// joins the ready list; each <see cref="Poll"/> reports every listed endpoint that is still ready
/// for something of interest and keeps it listed, and drops the others. So an endpoint that stays
/// ready is reported at every poll until the loop narrows its interest, as with epoll.
/// </summary>
public sealed partial class SocketBackend
{
    private List<SocketEndpoint> _ready = [];
    private List<SocketEndpoint> _reporting = [];

    /// <summary>Lists <paramref name="endpoint"/> for the next report, if it is watched.</summary>
    internal void MarkReady(SocketEndpoint endpoint)
    {
        if (endpoint.InReadyList || endpoint.Interest == IoReadiness.None || _disposed)
            return;
        endpoint.InReadyList = true;
        _ready.Add(endpoint);
    }

    /// <summary>Tells the watchers of ready endpoints; returns how many were told.</summary>
    private int ReportReady()
    {
        if (_ready.Count == 0)
            return 0;
        // Swapped, so that a watcher breaking the rules (watching from OnReady) cannot disturb the walk.
        (_reporting, _ready) = (_ready, _reporting);
        var reported = 0;
        foreach (var endpoint in _reporting)
        {
            endpoint.InReadyList = false;
            var ready = endpoint.Readiness & endpoint.Interest;
            if (ready == IoReadiness.None || endpoint.Watcher is not { } watcher)
                continue;
            endpoint.InReadyList = true;
            _ready.Add(endpoint);
            reported++;
            watcher.OnReady(ready);
        }
        _reporting.Clear();
        return reported;
    }
}

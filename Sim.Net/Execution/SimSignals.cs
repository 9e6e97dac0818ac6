using Sim.Core;

namespace Sim.Net;

/// <summary>
/// The signals sent to the simulated process (<see cref="Simulation.SendSignal(int, TimeSpan)"/>)
/// and the handlers the loop registered for them (<see cref="SimBackend.WatchSignal"/>). A signal
/// arrives at its virtual time, in sending order among signals of the same time, during a poll,
/// as a real loop hears of a signal when it next polls its wake-up descriptor.
/// </summary>
internal sealed class SimSignals(Simulation simulation)
{
    // Pending signals in (arrival time, sending order): sends are few, so a sorted insert is enough.
    private readonly List<(long AtNs, long Order, int Signum)> _pending = [];
    private readonly Action<int>?[] _receivers = new Action<int>?[Signals.Count];
    private long _sent;

    /// <summary>True while a signal is still to arrive.</summary>
    public bool HasPending => _pending.Count > 0;

    /// <summary>The virtual time the next signal arrives at (valid while <see cref="HasPending"/>).</summary>
    public long NextNs => _pending[0].AtNs;

    public void Send(int signum, long atNs, long delayNs)
    {
        var entry = (atNs, _sent++, signum);
        var index = _pending.Count;
        while (index > 0 && _pending[index - 1].AtNs > atNs)
            index--;
        _pending.Insert(index, entry);
        Record("signal.send", delayNs == 0 ? Signals.NameOf(signum) : $"{Signals.NameOf(signum)} arriving in {delayNs} ns");
    }

    /// <summary>Whether the loop has a handler for <paramref name="signum"/> now.</summary>
    public bool IsWatched(int signum) => _receivers[signum] is not null;

    public IDisposable Watch(int signum, Action<int> received)
    {
        if (_receivers[signum] is not null)
            throw new InvalidOperationException($"{Signals.NameOf(signum)} is watched already: the loop registers one receiver per signal.");
        _receivers[signum] = received;
        return new Registration(this, signum);
    }

    /// <summary>Delivers the signals due at <paramref name="nowNs"/>; true when any was.</summary>
    /// <exception cref="ProcessTerminatedException">A signal arrived with no handler and a default
    /// action that ends the process.</exception>
    public bool DeliverDue(long nowNs)
    {
        var delivered = 0;
        while (delivered < _pending.Count && _pending[delivered].AtNs <= nowNs)
            delivered++;
        if (delivered == 0)
            return false;
        var due = _pending.GetRange(0, delivered);
        _pending.RemoveRange(0, delivered);
        foreach (var (_, _, signum) in due)
            Deliver(signum);
        return true;
    }

    private void Deliver(int signum)
    {
        var name = Signals.NameOf(signum);
        if (_receivers[signum] is { } received)
        {
            Record("signal.deliver", name);
            received(signum);
        }
        else if (Signals.IgnoredByDefault(signum))
        {
            Record("signal.ignore", $"{name}: no handler, ignored by default");
        }
        else if (Signals.StopsByDefault(signum))
        {
            // Its handler was removed after it was sent: the process would stop until SIGCONT.
            throw new NotSupportedException($"{name} arrived with no handler: it would stop the process until SIGCONT, and job control is not simulated.");
        }
        else
        {
            Record("signal.terminate", $"{name}: no handler");
            throw new ProcessTerminatedException(signum);
        }
    }

    private void Record(string kind, string details) =>
        simulation.Trace.Record(simulation.Network.DefaultHost.Name, kind, details);

    private sealed class Registration(SimSignals signals, int signum) : IDisposable
    {
        private bool _disposed;

        public void Dispose()
        {
            if (_disposed)
                return;
            _disposed = true;
            signals._receivers[signum] = null;
        }
    }
}

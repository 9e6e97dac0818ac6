using Sim.Core;

namespace Sim.Net;

/// <summary>
/// The simulated process received a signal it had no handler for and whose default action ends
/// a process (SIGTERM, SIGINT, SIGHUP, SIGUSR1...): the run ends here, out of the loop's run
/// method, as the real process would have died. Install a handler with
/// <see cref="EventLoop.AddSignalHandler"/> to handle it instead.
/// </summary>
public sealed class ProcessTerminatedException : Exception
{
    /// <summary>Creates the exception with its default message.</summary>
    public ProcessTerminatedException()
    {
    }

    /// <summary>Creates the exception with <paramref name="message"/>.</summary>
    public ProcessTerminatedException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with <paramref name="message"/> and the exception that caused it.</summary>
    public ProcessTerminatedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    internal ProcessTerminatedException(int signum)
        : base($"The simulated process was terminated by {Signals.NameOf(signum)}: it had no handler for it (loop.AddSignalHandler), so the signal's default action ended the process.")
    {
        Signum = signum;
    }

    /// <summary>The signal that ended the process (0 when not known).</summary>
    public int Signum { get; }
}

namespace Sim.Core;

/// <summary>
/// POSIX signal numbers for <see cref="EventLoop.AddSignalHandler"/>, as Linux numbers them
/// (Python's <c>signal.SIGTERM</c> and friends). Any number in 1..64 can be given; these are the
/// ones a program usually handles, and the ones no handler can take.
/// </summary>
public static class Signals
{
    /// <summary>Hang-up: the controlling terminal closed; servers reload their configuration on it.</summary>
    public const int SIGHUP = 1;

    /// <summary>Interrupt (Ctrl+C).</summary>
    public const int SIGINT = 2;

    /// <summary>Quit (Ctrl+\).</summary>
    public const int SIGQUIT = 3;

    /// <summary>Kill: cannot be caught.</summary>
    public const int SIGKILL = 9;

    /// <summary>User-defined signal 1.</summary>
    public const int SIGUSR1 = 10;

    /// <summary>User-defined signal 2.</summary>
    public const int SIGUSR2 = 12;

    /// <summary>Termination request: the polite way to stop a server.</summary>
    public const int SIGTERM = 15;

    /// <summary>A child process stopped or exited (ignored by default).</summary>
    public const int SIGCHLD = 17;

    /// <summary>Continue after a stop (its default action only resumes a stopped process).</summary>
    public const int SIGCONT = 18;

    /// <summary>Stop: cannot be caught.</summary>
    public const int SIGSTOP = 19;

    /// <summary>The terminal window changed size (ignored by default).</summary>
    public const int SIGWINCH = 28;

    /// <summary>One more than the highest signal number (<c>NSIG</c> on Linux).</summary>
    public const int Count = 65;

    /// <summary>A number a handler can be given: 1..64 but 32 and 33, which the C library keeps
    /// for itself (CPython's <c>signal.valid_signals()</c>).</summary>
    public static bool IsValid(int signum) => signum is >= 1 and < Count and not (32 or 33);

    /// <summary>The signals that, with no handler, do nothing to a .NET or CPython process: those
    /// ignored by default (SIGCHLD, SIGURG, SIGWINCH), SIGCONT (it only resumes a stopped process)
    /// and SIGPIPE (both runtimes ignore it, so a write to a closed peer fails instead).</summary>
    public static bool IgnoredByDefault(int signum) => signum is 13 /* SIGPIPE */ or SIGCHLD or SIGCONT or 23 /* SIGURG */ or SIGWINCH;

    /// <summary>The signals whose default action stops the process (SIGSTOP, SIGTSTP, SIGTTIN, SIGTTOU).</summary>
    public static bool StopsByDefault(int signum) => signum is SIGSTOP or 20 or 21 or 22;

    /// <summary>The name of a signal with a constant here (<c>SIGTERM</c>), else <c>signal N</c>.</summary>
    public static string NameOf(int signum) => signum switch
    {
        SIGHUP => nameof(SIGHUP),
        SIGINT => nameof(SIGINT),
        SIGQUIT => nameof(SIGQUIT),
        SIGKILL => nameof(SIGKILL),
        SIGUSR1 => nameof(SIGUSR1),
        SIGUSR2 => nameof(SIGUSR2),
        SIGTERM => nameof(SIGTERM),
        SIGCHLD => nameof(SIGCHLD),
        SIGCONT => nameof(SIGCONT),
        SIGSTOP => nameof(SIGSTOP),
        SIGWINCH => nameof(SIGWINCH),
        _ => $"signal {signum}",
    };
}

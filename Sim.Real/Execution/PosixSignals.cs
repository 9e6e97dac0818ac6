using System.Runtime.InteropServices;
using Sim.Core;

namespace Sim.Real;

/// <summary>
/// Signals on the real backends, through .NET's <see cref="PosixSignalRegistration"/>: the
/// runtime's signal thread calls the loop's thread-safe receiver, and the handler cancels the
/// signal's default action (a handler replaces it, as <c>signal.signal</c> does in CPython).
/// The signals with a <see cref="PosixSignal"/> name are registered by it (so SIGINT, SIGTERM,
/// SIGHUP and SIGQUIT also work on Windows); the others by their raw number, on Unix.
/// </summary>
internal static partial class PosixSignals
{
    public static IDisposable Watch(int signum, Action<int> received)
    {
        if (IsRuntimeFault(signum))
            throw new InvalidOperationException(
                $"sig {signum} cannot be handled on a .NET loop: the runtime takes this fault signal itself (it becomes an exception or a crash report).");
        return PosixSignalRegistration.Create(ToPosixSignal(signum), context =>
        {
            context.Cancel = true;
            received(signum);
        });
    }

    /// <summary>Sends <paramref name="signum"/> to this process (<c>kill(getpid(), signum)</c>; tests use it).</summary>
    public static void Raise(int signum)
    {
        if (Kill(Environment.ProcessId, signum) != 0)
            throw new InvalidOperationException($"kill({Environment.ProcessId}, {signum}) failed: errno {Marshal.GetLastPInvokeError()}");
    }

    // SIGILL, SIGTRAP, SIGABRT, SIGBUS, SIGFPE, SIGSEGV: raised by faults the runtime handles.
    private static bool IsRuntimeFault(int signum) => signum is 4 or 5 or 6 or 7 or 8 or 11;

    private static PosixSignal ToPosixSignal(int signum)
    {
        switch (signum)
        {
            case Signals.SIGHUP: return PosixSignal.SIGHUP;
            case Signals.SIGINT: return PosixSignal.SIGINT;
            case Signals.SIGQUIT: return PosixSignal.SIGQUIT;
            case Signals.SIGTERM: return PosixSignal.SIGTERM;
        }
        if (OperatingSystem.IsWindows())
            throw new PlatformNotSupportedException($"{Signals.NameOf(signum)} does not exist on Windows: SIGINT, SIGTERM, SIGHUP and SIGQUIT do.");
        switch (signum)
        {
            case Signals.SIGCHLD: return PosixSignal.SIGCHLD;
            case Signals.SIGCONT: return PosixSignal.SIGCONT;
            case Signals.SIGWINCH: return PosixSignal.SIGWINCH;
            case 20: return PosixSignal.SIGTSTP;
            case 21: return PosixSignal.SIGTTIN;
            case 22: return PosixSignal.SIGTTOU;
        }
        // Other Unixes number the rest differently (SIGUSR1 is 30 on macOS): only names carry over.
        if (!OperatingSystem.IsLinux())
            throw new PlatformNotSupportedException(
                $"Signal numbers are Linux's; off Linux only SIGHUP, SIGINT, SIGQUIT, SIGTERM, SIGCHLD, SIGCONT, SIGWINCH and the terminal stops map, not {Signals.NameOf(signum)}.");
        // A raw number: .NET takes any signal number cast to PosixSignal on Unix.
        return (PosixSignal)signum;
    }

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int Kill(int pid, int signum);
}

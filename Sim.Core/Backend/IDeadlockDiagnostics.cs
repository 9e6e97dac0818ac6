namespace Sim.Core;

/// <summary>
/// Implemented by a backend that can say what it still holds when the loop finds that nothing can
/// ever run again (a simulated network: its open connections, an endpoint nobody serves). The
/// loop adds it to the <see cref="DeadlockException"/> it raises.
/// </summary>
public interface IDeadlockDiagnostics
{
    /// <summary>What the backend holds, as sentences for the deadlock report, or null when it holds nothing worth naming.</summary>
    string? DescribeDeadlock();
}

using Sim.Core;
using Sim.Real;
using Sim.Tests.Infrastructure;

namespace Sim.Tests.Conformance;

/// <summary>
/// The signal suite on a real backend: the test process sends itself the signal with kill(2).
/// Signals are process-wide, so these suites run alone (<see cref="SoloCollection"/>), and they
/// send only signals ignored by default (SIGWINCH, SIGCONT): one arriving late harms nothing.
/// </summary>
public abstract class RealSignalConformance : SignalConformance
{
    protected override void Raise(int signum) => PosixSignals.Raise(signum);

    [Theory]
    [InlineData(11)]
    [InlineData(8)]
    public void FaultSignalsTheRuntimeTakes_AreRefused(int signum) => WithIdleLoop(loop =>
    {
        var error = Assert.Throws<InvalidOperationException>(() => loop.AddSignalHandler(signum, () => { }));
        Assert.Contains($"sig {signum} cannot be handled on a .NET loop", error.Message, StringComparison.Ordinal);
        Assert.False(loop.RemoveSignalHandler(signum));
    });
}

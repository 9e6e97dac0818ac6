using Sim.Core;
using Sim.Real;
using Sim.Tests.Infrastructure;

namespace Sim.Tests.Conformance;

/// <summary>The signal suite on the portable backend.</summary>
[Collection(SoloCollection.Name)]
public sealed class SocketSignalConformance : RealSignalConformance
{
    protected override EventLoop CreateLoop() => RealLoop.Create(RealBackendKind.Portable);
}

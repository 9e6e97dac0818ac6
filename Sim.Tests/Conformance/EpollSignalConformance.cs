using Sim.Core;
using Sim.Real;
using Sim.Tests.Infrastructure;

namespace Sim.Tests.Conformance;

/// <summary>The signal suite on the epoll backend.</summary>
[Collection(SoloCollection.Name)]
public sealed class EpollSignalConformance : RealSignalConformance
{
    protected override EventLoop CreateLoop() => RealLoop.Create(RealBackendKind.Epoll);
}

using Sim.Core;
using Sim.Real;

namespace Sim.Tests.Conformance;

/// <summary>The primitive contract on the epoll backend (Linux).</summary>
[Trait("Category", "Conformance")]
public sealed class EpollStreamPrimitiveConformance : StreamPrimitiveConformance
{
    protected override EventLoop? CreateLoop() => OperatingSystem.IsLinux() ? RealLoop.Create(RealBackendKind.Epoll) : null;
}

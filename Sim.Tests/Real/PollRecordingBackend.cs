using System.Net;
using System.Net.Sockets;
using Sim.Core;

namespace Sim.Tests.Real;

/// <summary>
/// A backend that forwards to another and records whether its <see cref="Poll"/> is running, so
/// a test can check that watchers are told only inside Poll.
/// </summary>
internal sealed class PollRecordingBackend<TBackend>(TBackend inner) : IIoBackend, INetworkBackend
    where TBackend : IIoBackend, INetworkBackend
{
    public bool InPoll { get; private set; }

    public bool Poll(long timeoutNs, bool outsideWorkInFlight)
    {
        InPoll = true;
        try
        {
            return inner.Poll(timeoutNs, outsideWorkInFlight);
        }
        finally
        {
            InPoll = false;
        }
    }

    public void Wakeup() => inner.Wakeup();

    public IExecutor CreateDefaultExecutor() => inner.CreateDefaultExecutor();

    public void Dispose() => inner.Dispose();

    public IStreamSocket Connect(IPEndPoint remote, IPEndPoint? local) => inner.Connect(remote, local);

    public IStreamListener Listen(IPEndPoint local, int backlog) => inner.Listen(local, backlog);

    public IDatagramSocket OpenDatagram(AddressFamily family, IPEndPoint? local, IPEndPoint? remote) => inner.OpenDatagram(family, local, remote);

    public Coroutine<IReadOnlyList<IPAddress>> Resolve(string host, AddressFamily family) => inner.Resolve(host, family);
}

using System.Net.Sockets;
using Sim.Core;
using Sim.Real;
using Sim.Tests.Conformance;
using static Sim.Tests.Conformance.ConformanceHelpers;

namespace Sim.Tests.Real;

/// <summary>
/// Unix-domain sockets where only a real machine has something to show: directories (the
/// simulation does not model them) and peers outside SimLoop (a raw .NET socket bound to a name
/// of its own, which the server must report as its peer).
/// </summary>
[Trait("Category", "Concurrency")]
public sealed class RealUnixSocketTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), $"simloop-{Environment.ProcessId}-unix-real");

    public RealUnixSocketTests()
    {
        if (Directory.Exists(_directory))
            Directory.Delete(_directory, recursive: true);
        Directory.CreateDirectory(_directory);
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private static void Run(RealBackendKind kind, Func<EventLoop, Coroutine> body)
    {
        var loop = RealLoop.Create(kind);
        var errors = new List<string>();
        loop.SetExceptionHandler((_, context) => errors.Add(context.ToString()));
        try
        {
            var guard = loop.CallLater(30, loop.Stop);
            loop.RunUntilComplete(body(loop));
            guard.Cancel();
            Assert.True(errors.Count == 0, "the loop reported: " + string.Join("\n", errors));
        }
        finally
        {
            if (!loop.IsRunning)
                loop.Close();
        }
    }

    [Theory]
    [InlineData(RealBackendKind.Epoll)]
    [InlineData(RealBackendKind.Portable)]
    public void MissingDirectory_ConnectAndServe_RaiseAddressNotAvailable(RealBackendKind kind)
    {
        var path = Path.Combine(_directory, "no-such-directory", "s.sock");
        Run(kind, async loop =>
        {
            var connect = Assert.IsType<SocketException>(await Raises(loop.CreateUnixConnection(() => new RecordingProtocol(loop), path)));
            Assert.Equal(SocketError.AddressNotAvailable, connect.SocketErrorCode);
            var serve = Assert.IsType<SocketException>(await Raises(loop.CreateUnixServer(() => new RecordingProtocol(loop), path)));
            Assert.Equal(SocketError.AddressNotAvailable, serve.SocketErrorCode);
            Assert.Contains("No such file or directory", serve.Message, StringComparison.Ordinal);
        });
    }

    [Theory]
    [InlineData(RealBackendKind.Epoll)]
    [InlineData(RealBackendKind.Portable)]
    public void RawPeerBoundToAName_IsTheServersPeerName_AndGetsItsEcho(RealBackendKind kind)
    {
        var serverPath = Path.Combine(_directory, $"server-{kind}.sock");
        var clientPath = Path.Combine(_directory, $"client-{kind}.sock");
        Run(kind, async loop =>
        {
            var accepted = new List<RecordingProtocol>();
            var server = await loop.CreateUnixServer(() =>
            {
                accepted.Add(new RecordingProtocol(loop) { OnData = (p, data) => p.Transport!.Write(data) });
                return accepted[^1];
            }, serverPath);
            using var raw = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
            raw.Bind(new UnixEndPoint(clientPath));
            // A local connect completes at once: the kernel queues it for the loop to accept.
            raw.Connect(new UnixEndPoint(serverPath));
            raw.Send("from outside"u8);
            while (accepted.Count == 0 || accepted[0].Received.Length < 12 || raw.Available < 12)
                await Asyncio.Sleep(0.001);
            Assert.Equal(clientPath, accepted[0].Transport!.GetExtraInfo("peername"));
            Assert.Equal(serverPath, accepted[0].Transport!.GetExtraInfo("sockname"));
            var echo = new byte[12];
            Assert.Equal(12, raw.Receive(echo));
            Assert.Equal("from outside"u8.ToArray(), echo);
            raw.Shutdown(SocketShutdown.Send);
            Assert.Null(await Asyncio.WaitFor(accepted[0].Lost, 10));
            server.Close();
            await server.WaitClosed();
            Assert.False(File.Exists(serverPath));
        });
    }
}

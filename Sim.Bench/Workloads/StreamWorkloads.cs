using Sim.Core;

namespace Sim.Bench.Workloads;

/// <summary>
/// The echo servers' own cost per message, without the kernel: Sim.Bench's three echo servers
/// (protocol, streams with Read, streams with ReadInto) on ten connections whose transport hands
/// every write straight back as the next message received (in the next iteration, as a socket
/// becoming readable would). What a message costs here is what the loop, the transport layer and
/// the stream reader and writer add to a real echo's two system calls.
/// </summary>
internal static class StreamWorkloads
{
    private const int Connections = 10;
    private const int MessageSize = 1024;

    public static bool Knows(string workload) => workload is "echopath-proto" or "echopath-streams" or "echopath-into";

    /// <summary>Echoes <paramref name="n"/> messages in all over the ten connections.</summary>
    public static void Run(string workload, EventLoop loop, int n)
    {
        var perConnection = n / Connections;
        var transports = new ReflectingTransport[Connections];
        for (var i = 0; i < Connections; i++)
        {
            transports[i] = new ReflectingTransport(loop, perConnection);
            IProtocol protocol = workload switch
            {
                "echopath-proto" => new EchoServer.EchoProtocol(),
                "echopath-streams" => new StreamReaderProtocol(new Sim.Core.StreamReader(loop: loop), EchoServer.Handle, loop),
                "echopath-into" => new StreamReaderProtocol(new Sim.Core.StreamReader(loop: loop), EchoServer.HandleInto, loop),
                _ => throw new ArgumentException($"unknown workload '{workload}'"),
            };
            transports[i].Connect(protocol);
        }
        var message = new byte[MessageSize];
        foreach (var transport in transports)
            transport.Deliver(message);
        loop.RunUntilComplete(AllDone(transports));
    }

    private static async Coroutine AllDone(ReflectingTransport[] transports)
    {
        foreach (var transport in transports)
            await transport.Finished;
    }

    /// <summary>A transport whose peer echoes: each write comes back as received data in the
    /// next iteration, until the connection has carried its messages; then it reports EOF.</summary>
    private sealed class ReflectingTransport(EventLoop loop, int messages) : ITransport
    {
        private readonly byte[] _pending = new byte[EchoServer.ReadSizeMax];
        private readonly Future<Unit> _finished = loop.CreateFuture<Unit>();
        private IProtocol? _protocol;
        private int _pendingCount;
        private int _left = messages;
        private bool _closing;

        public Future<Unit> Finished => _finished;

        public bool IsClosing => _closing;

        public bool IsReading => true;

        public void Connect(IProtocol protocol)
        {
            _protocol = protocol;
            protocol.ConnectionMade(this);
        }

        public void Deliver(ReadOnlySpan<byte> data)
        {
            data.CopyTo(_pending);
            _pendingCount = data.Length;
            loop.CallSoon(static transport => transport.Receive(), this);
        }

        private void Receive()
        {
            var protocol = _protocol!;
            if (_left-- == 0)
            {
                // A protocol that does not keep the connection half-open is closed, as a socket's is.
                if (!protocol.EofReceived())
                    Close();
                return;
            }
            var data = _pending.AsSpan(0, _pendingCount);
            if (protocol is ISplitBufferedProtocol split)
            {
                // As a vectored receive fills them: the first buffer, then the overflow.
                var first = split.GetBuffers(out var overflow);
                var inFirst = Math.Min(data.Length, first.Length);
                data[..inFirst].CopyTo(first.Span);
                data[inFirst..].CopyTo(overflow.Span);
                split.BufferUpdated(data.Length);
            }
            else if (protocol is IBufferedProtocol buffered)
            {
                var buffer = buffered.GetBuffer(data.Length);
                data.CopyTo(buffer.Span);
                buffered.BufferUpdated(data.Length);
            }
            else
            {
                protocol.DataReceived(data);
            }
        }

        public void Write(ReadOnlySpan<byte> data) => Deliver(data);

        public void Close()
        {
            if (_closing)
                return;
            _closing = true;
            _protocol!.ConnectionLost(null);
            _finished.SetResult(Unit.Value);
        }

        public void Abort() => Close();

        public object? GetExtraInfo(string name, object? defaultValue = null) => defaultValue;

        public void SetProtocol(IBaseProtocol protocol) => _protocol = (IProtocol)protocol;

        public IBaseProtocol GetProtocol() => _protocol!;

        public void PauseReading() { }

        public void ResumeReading() { }

        public void WriteLines(IEnumerable<byte[]> lines)
        {
            foreach (var line in lines)
                Write(line);
        }

        public void WriteEof() { }

        public bool CanWriteEof() => false;

        public int GetWriteBufferSize() => 0;

        public void SetWriteBufferLimits(int? high = null, int? low = null) { }

        public (int Low, int High) GetWriteBufferLimits() => (0, 0);
    }
}

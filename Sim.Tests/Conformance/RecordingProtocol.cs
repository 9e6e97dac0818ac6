using System.Net.Sockets;
using Sim.Core;

namespace Sim.Tests.Conformance;

/// <summary>
/// A protocol that records what its transport calls, merging consecutive <c>DataReceived</c>
/// (chunking is the backend's business), keeps the bytes, and checks the protocol grammar from the
/// outside: <c>ConnectionMade [DataReceived*] [EofReceived] ConnectionLost</c>.
/// </summary>
public class RecordingProtocol : IProtocol
{
    private readonly List<byte> _received = [];

    public RecordingProtocol(EventLoop loop)
    {
        Made = loop.CreateFuture<ITransport>();
        Lost = loop.CreateFuture<Exception?>();
        EofSeen = loop.CreateFuture<bool>();
    }

    /// <summary>What the transport called, in order ("made", "data", "eof", "lost:None"...).</summary>
    public List<string> Events { get; } = [];

    public Future<ITransport> Made { get; }

    public Future<Exception?> Lost { get; }

    public Future<bool> EofSeen { get; }

    public ITransport? Transport { get; private set; }

    public byte[] Received => [.. _received];

    public int DataCalls { get; private set; }

    public int PauseCount { get; private set; }

    public int ResumeCount { get; private set; }

    public int BufferSizeAtPause { get; private set; } = -1;

    public int BufferSizeAtResume { get; private set; } = -1;

    /// <summary>What EofReceived returns.</summary>
    public bool KeepOpenOnEof { get; init; }

    public Action<RecordingProtocol, byte[]>? OnData { get; init; }

    public Action<RecordingProtocol>? OnEof { get; init; }

    public Action<RecordingProtocol>? OnMade { get; init; }

    public Action<RecordingProtocol>? OnResume { get; init; }

    public virtual void ConnectionMade(ITransport transport)
    {
        Assert.Empty(Events);
        Events.Add("made");
        Transport = transport;
        Made.SetResult(transport);
        OnMade?.Invoke(this);
    }

    public virtual void DataReceived(ReadOnlySpan<byte> data)
    {
        Assert.True(Events is [.., "made" or "data"], $"DataReceived after {string.Join(",", Events)}");
        Assert.False(data.IsEmpty, "DataReceived with no data");
        if (Events[^1] != "data")
            Events.Add("data");
        DataCalls++;
        _received.AddRange(data);
        OnData?.Invoke(this, data.ToArray());
    }

    public bool EofReceived()
    {
        Assert.True(Events is [.., "made" or "data"], $"EofReceived after {string.Join(",", Events)}");
        Events.Add("eof");
        EofSeen.SetResult(true);
        OnEof?.Invoke(this);
        return KeepOpenOnEof;
    }

    public void ConnectionLost(Exception? exception)
    {
        Assert.True(Events is [.., "made" or "data" or "eof"], $"ConnectionLost after {string.Join(",", Events)}");
        Events.Add(exception is null ? "lost:None" : $"lost:{Describe(exception)}");
        Lost.SetResult(exception);
    }

    public void PauseWriting()
    {
        Assert.Equal(PauseCount, ResumeCount);
        PauseCount++;
        BufferSizeAtPause = Transport!.GetWriteBufferSize();
    }

    public void ResumeWriting()
    {
        Assert.Equal(PauseCount, ResumeCount + 1);
        ResumeCount++;
        BufferSizeAtResume = Transport!.GetWriteBufferSize();
        OnResume?.Invoke(this);
    }

    public static string Describe(Exception exception) =>
        exception is SocketException socket ? socket.SocketErrorCode.ToString() : exception.GetType().Name;
}

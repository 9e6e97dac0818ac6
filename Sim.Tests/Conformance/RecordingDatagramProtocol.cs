using System.Net;
using System.Net.Sockets;
using System.Text;
using Sim.Core;

namespace Sim.Tests.Conformance;

/// <summary>
/// A datagram protocol that records what it hears (and asserts the grammar
/// <c>ConnectionMade [DatagramReceived | ErrorReceived]* ConnectionLost</c>), with a future per
/// event so tests can wait for the next one.
/// </summary>
internal sealed class RecordingDatagramProtocol(EventLoop loop) : IDatagramProtocol
{
    private Future<Unit> _next = loop.CreateFuture<Unit>();

    public List<string> Events { get; } = [];

    public List<(byte[] Data, EndPoint From)> Datagrams { get; } = [];

    public List<Exception> Errors { get; } = [];

    public IDatagramTransport? Transport { get; private set; }

    public Future<Exception?> Lost { get; } = loop.CreateFuture<Exception?>();

    /// <summary>Called with each datagram after it is recorded (an echo server answers here).</summary>
    public Action<RecordingDatagramProtocol, byte[], EndPoint>? OnDatagram { get; init; }

    /// <summary>Called after ResumeWriting is recorded.</summary>
    public Action<RecordingDatagramProtocol>? OnResume { get; init; }

    public int PauseCount { get; private set; }

    public int ResumeCount { get; private set; }

    /// <summary>The texts received, in order.</summary>
    public List<string> Texts => Datagrams.Select(d => Encoding.ASCII.GetString(d.Data)).ToList();

    public void ConnectionMade(IDatagramTransport transport)
    {
        Assert.Empty(Events);
        Transport = transport;
        Record("connection_made");
    }

    public void DatagramReceived(ReadOnlySpan<byte> data, EndPoint address)
    {
        Assert.Equal("connection_made", Events[0]);
        Assert.False(Lost.Done, "DatagramReceived after ConnectionLost");
        var copy = data.ToArray();
        Datagrams.Add((copy, address));
        Record("datagram_received");
        OnDatagram?.Invoke(this, copy, address);
    }

    public void ErrorReceived(Exception exception)
    {
        Assert.Equal("connection_made", Events[0]);
        Assert.False(Lost.Done, "ErrorReceived after ConnectionLost");
        Errors.Add(exception);
        Record($"error_received({(exception as SocketException)?.SocketErrorCode.ToString() ?? exception.GetType().Name})");
    }

    public void ConnectionLost(Exception? exception)
    {
        Assert.Equal("connection_made", Events[0]);
        Assert.False(Lost.Done, "ConnectionLost twice");
        Record("connection_lost");
        Lost.SetResult(exception);
    }

    public void PauseWriting()
    {
        PauseCount++;
        Record("pause_writing");
    }

    public void ResumeWriting()
    {
        ResumeCount++;
        Record("resume_writing");
        OnResume?.Invoke(this);
    }

    /// <summary>Completes at the next event.</summary>
    public Future<Unit> NextEvent() => _next;

    /// <summary>Waits until <paramref name="done"/> holds, checking after each event.</summary>
    public async Coroutine Until(Func<RecordingDatagramProtocol, bool> done)
    {
        while (!done(this))
            await NextEvent();
    }

    private void Record(string name)
    {
        Events.Add(name);
        var next = _next;
        _next = loop.CreateFuture<Unit>();
        next.SetResult(Unit.Value);
    }
}

using System.Net.Sockets;
using System.Text;
using Sim.Core;
using StreamReader = Sim.Core.StreamReader;
using StreamWriter = Sim.Core.StreamWriter;
using static Sim.Tests.Conformance.ConformanceHelpers;

namespace Sim.Tests.Conformance;

/// <summary>Streams over the backend: echo, the read methods at EOF and at the limit, Drain.</summary>
public abstract partial class StreamTransportConformance
{
    private async Coroutine<Server> ServeText(EventLoop loop, string text, bool thenClose = true)
    {
        return await Asyncio.StartServer(async (reader, writer) =>
        {
            writer.Write(Ascii(text));
            await writer.Drain();
            if (thenClose)
            {
                writer.Close();
                await writer.WaitClosed();
            }
        }, Host, 0);
    }

    [Fact]
    public void Streams_LineEcho_EveryLineComesBackThenEof()
    {
        Run(async loop =>
        {
            var server = await Asyncio.StartServer(async (reader, writer) =>
            {
                while (await reader.ReadLine() is { Length: > 0 } line)
                {
                    writer.Write(line);
                    await writer.Drain();
                }
                writer.Close();
                await writer.WaitClosed();
            }, Host, 0);
            var (clientReader, clientWriter) = await Asyncio.OpenConnection(Host, PortOf(server));
            for (var i = 0; i < 50; i++)
            {
                clientWriter.Write(Ascii($"line {i} {new string('x', i * 37)}\n"));
                await clientWriter.Drain();
                Assert.Equal(Ascii($"line {i} {new string('x', i * 37)}\n"), await clientReader.ReadLine());
            }
            Assert.True(clientWriter.CanWriteEof());
            clientWriter.WriteEof();
            Assert.Empty(await clientReader.Read());
            Assert.True(clientReader.AtEof());
            clientWriter.Close();
            Assert.True(clientWriter.IsClosing());
            await clientWriter.WaitClosed();
            server.Close();
            await server.WaitClosed();
        });
    }

    [Fact]
    public void StreamReader_AtEof_ReadMethodsFollowAsyncioRules()
    {
        Run(async loop =>
        {
            var server = await ServeText(loop, "alpha\nbeta;gamma\nrest");
            var (reader, writer) = await Asyncio.OpenConnection(Host, PortOf(server));
            Assert.Equal(Ascii("alpha\n"), await reader.ReadLine());
            Assert.Equal(Ascii("beta;"), await reader.ReadUntil(Ascii(";")));
            Assert.Equal(Ascii("gam"), await reader.ReadExactly(3));
            Assert.Equal(Ascii("ma\n"), await reader.ReadLine());
            var incomplete = Assert.IsType<IncompleteReadException>(await Raises(reader.ReadExactly(10)));
            Assert.Equal(Ascii("rest"), incomplete.Partial);
            Assert.Equal(10, incomplete.Expected);
            Assert.Equal("4 bytes read on a total of 10 expected bytes", incomplete.Message);
            Assert.True(reader.AtEof());
            Assert.Empty(await reader.ReadLine());
            Assert.Empty(await reader.Read(5));
            var atSeparator = Assert.IsType<IncompleteReadException>(await Raises(reader.ReadUntil()));
            Assert.Empty(atSeparator.Partial);
            Assert.Null(atSeparator.Expected);
            writer.Close();
            await writer.WaitClosed();
            server.Close();
        });
    }

    [Fact]
    public void StreamReader_OverLimit_ReadUntilKeepsDataReadLineDropsIt()
    {
        Run(async loop =>
        {
            var server = await ServeText(loop, "0123456789abcdefXYZ;tail\n" + "0123456789abcdefghij\nnext\n");
            var (reader, writer) = await Asyncio.OpenConnection(Host, PortOf(server), limit: 8);
            await Until(() => reader.BufferedCount >= 51 || reader.AtEof());
            var found = Assert.IsType<LimitOverrunException>(await Raises(reader.ReadUntil(Ascii(";"))));
            Assert.Equal("Separator is found, but chunk is longer than limit", found.Message);
            Assert.Equal(19, found.Consumed);
            // Nothing was consumed: the same bytes can be read another way.
            Assert.Equal(Ascii("0123456789abcdefXYZ;"), await reader.ReadExactly(20));
            Assert.Equal(Ascii("tail\n"), await reader.ReadLine());
            var line = Assert.IsType<LimitOverrunException>(await Raises(reader.ReadLine()));
            Assert.Equal(20, line.Consumed);
            // ReadLine dropped the long line up to its newline, as asyncio does.
            Assert.Equal(Ascii("next\n"), await reader.ReadLine());
            writer.Close();
            server.Close();
        });
    }

    [Fact]
    public void StreamReader_SeparatorNotFoundWithinLimit_RaisesWithConsumedPastLimit()
    {
        Run(async loop =>
        {
            var server = await ServeText(loop, new string('z', 40), thenClose: false);
            var (reader, writer) = await Asyncio.OpenConnection(Host, PortOf(server), limit: 16);
            await Until(() => reader.BufferedCount == 40);
            var error = Assert.IsType<LimitOverrunException>(await Raises(reader.ReadUntil(Ascii("\n"))));
            Assert.Equal("Separator is not found, and chunk exceed the limit", error.Message);
            Assert.Equal(40, error.Consumed);
            Assert.Equal(40, reader.BufferedCount);
            writer.Close();
            server.Close();
        });
    }

    [Fact]
    public void StreamReader_BufferAboveTwiceLimit_PausesTransportUntilRead()
    {
        Run(async loop =>
        {
            const int limit = 1024;
            // Far more than one receive takes, so reading must pause before it all arrives.
            const int total = 4096 * limit;
            var server = await ServeText(loop, new string('q', total));
            var (reader, writer) = await Asyncio.OpenConnection(Host, PortOf(server), limit: limit);
            await Until(() => reader.BufferedCount > 2 * limit);
            await Asyncio.Sleep(SettleTime);
            Assert.False(writer.Transport.IsReading);
            Assert.True(reader.BufferedCount < total, "reading never paused");
            var all = await reader.Read();
            Assert.Equal(total, all.Length);
            Assert.True(reader.AtEof());
            writer.Close();
            server.Close();
        });
    }

    /// <summary>A server that sends <paramref name="payload"/> to each client and closes, and a client connected to it.</summary>
    private async Coroutine<(Server Server, StreamReader Reader, StreamWriter Writer)> ConnectToSenderOf(byte[] payload)
    {
        var server = await Asyncio.StartServer(async (reader, writer) =>
        {
            writer.Write(payload);
            await writer.Drain();
            writer.Close();
            await writer.WaitClosed();
        }, Host, 0);
        var (clientReader, clientWriter) = await Asyncio.OpenConnection(Host, PortOf(server));
        return (server, clientReader, clientWriter);
    }

    [Fact]
    public void Read_EchoOfMessagesWhoseSizeSettlesThenChanges_EveryReadGetsItsOwnBytes()
    {
        Run(async loop =>
        {
            // A Read(n) whose connection's receives settle on one size gets them received into
            // the array it returns; messages that then run longer or shorter than that size, and
            // reads asking for less than it, must still get every byte once, in order, each read
            // in an array of its own.
            int[] sizes = [1000, 1000, 1000, 1000, 3000, 3000, 3000, 500, 500, 500, 40_000, 40_000, 40_000, 7, 7, 1000, 1000, 1000, 1000];
            var messages = sizes.Select((size, i) => Pattern(size, seed: 40 + i)).ToList();
            // Every fifth read asks for 10 bytes only.
            await ReadEcho(Host, messages, turn => turn % 5 == 4 ? 10 : 64 * 1024);
        });
    }

    [Fact]
    public void ReadInto_LargeAndSmallBuffersInTurn_GetEveryByteInOrderThenZeroAtEof()
    {
        Run(async loop =>
        {
            // Large buffers are received into straight from the socket, small ones by a copy:
            // taking turns, every byte still arrives once, in order.
            var payload = Pattern(BeyondNetworkBuffers, seed: 29);
            var (server, clientReader, clientWriter) = await ConnectToSenderOf(payload);
            var large = new byte[64 * 1024];
            var small = new byte[100];
            var received = new List<byte>(payload.Length);
            for (var turn = 0; ; turn++)
            {
                var buffer = turn % 2 == 0 ? large : small;
                var count = await clientReader.ReadInto(buffer);
                if (count == 0)
                    break;
                Assert.InRange(count, 1, buffer.Length);
                received.AddRange(buffer.AsSpan(0, count).ToArray());
            }
            Assert.Equal(payload, received.ToArray());
            Assert.True(clientReader.AtEof());
            clientWriter.Close();
            await clientWriter.WaitClosed();
            server.Close();
        });
    }

    [Fact]
    public void Read_LargeTransferInReadsOfMixedSizes_GetsEveryByteInOrder()
    {
        Run(async loop =>
        {
            // Large receives give the reader its own receive array, which the reads copy out of
            // (and ReadExactly spills into the buffer): every byte still arrives once, in order.
            var payload = Pattern(BeyondNetworkBuffers, seed: 31);
            var (server, clientReader, clientWriter) = await ConnectToSenderOf(payload);
            var received = new List<byte>(payload.Length);
            for (var turn = 0; received.Count < payload.Length; turn++)
            {
                var left = payload.Length - received.Count;
                var data = (turn % 3) switch
                {
                    0 => await clientReader.Read(100 * 1024),
                    1 => await clientReader.Read(7),
                    _ => await clientReader.ReadExactly(Math.Min(1000, left)),
                };
                Assert.NotEmpty(data);
                received.AddRange(data);
            }
            Assert.Equal(payload, received.ToArray());
            Assert.Empty(await clientReader.Read(100 * 1024));
            clientWriter.Close();
            await clientWriter.WaitClosed();
            server.Close();
        });
    }

    [Fact]
    public void Drain_WhilePeerDoesNotRead_WaitsUntilItReads()
    {
        Run(async loop =>
        {
            var reading = loop.CreateFuture<Unit>();
            var serverReader = loop.CreateFuture<StreamReader>();
            var server = await Asyncio.StartServer(async (reader, writer) =>
            {
                serverReader.SetResult(reader);
                await reading;
                var total = (await reader.Read()).Length;
                writer.Write(Ascii(total.ToString(System.Globalization.CultureInfo.InvariantCulture)));
                writer.Close();
            }, Host, 0);
            var (clientReader, clientWriter) = await Asyncio.OpenConnection(Host, PortOf(server));
            var payload = Pattern(BeyondNetworkBuffers, seed: 17);
            clientWriter.Write(payload);
            var drain = loop.CreateTask(clientWriter.Drain());
            await Asyncio.Sleep(SettleTime);
            Assert.False(drain.Done, "Drain returned while the payload was unread");
            reading.SetResult(Unit.Value);
            await drain;
            clientWriter.WriteEof();
            Assert.Equal(Ascii(payload.Length.ToString(System.Globalization.CultureInfo.InvariantCulture)), await clientReader.Read());
            // Both sides sent EOF, but the stream protocol keeps a transport open until closed.
            Assert.False(clientWriter.IsClosing());
            clientWriter.Close();
            await clientWriter.WaitClosed();
            server.Close();
        });
    }

    [Fact]
    public void StartServer_HandlerTaskCancelled_ClosesItsConnection()
    {
        Run(async loop =>
        {
            // asyncio 3.12.1+: the handler's done callback closes the transport when the task
            // was cancelled, as when it raised, so the peer is not left connected.
            var handler = loop.CreateFuture<ILoopTask>();
            var server = await Asyncio.StartServer(async (reader, writer) =>
            {
                handler.SetResult(Asyncio.CurrentTask()!);
                await reader.Read(100);
            }, Host, 0);
            var (clientReader, clientWriter) = await Asyncio.OpenConnection(Host, PortOf(server));
            (await handler).Cancel();
            Assert.Empty(await clientReader.Read(100));
            clientWriter.Close();
            await clientWriter.WaitClosed();
            server.Close();
            await server.WaitClosed();
        });
    }

    [Fact]
    public void Drain_AfterPeerReset_RaisesConnectionReset()
    {
        Run(async loop =>
        {
            var server = await Asyncio.StartServer(async (reader, writer) =>
            {
                writer.Transport.PauseReading();
                await Asyncio.Sleep(SettleTime);
                writer.Close();
            }, Host, 0);
            var (clientReader, clientWriter) = await Asyncio.OpenConnection(Host, PortOf(server));
            clientWriter.Write(Ascii("unread"));
            var error = Assert.IsType<SocketException>(await Raises(clientReader.Read()));
            Assert.Equal(SocketError.ConnectionReset, error.SocketErrorCode);
            var drained = Assert.IsType<SocketException>(await Raises(clientWriter.Drain()));
            Assert.Equal(SocketError.ConnectionReset, drained.SocketErrorCode);
            server.Close();
        });
    }
}

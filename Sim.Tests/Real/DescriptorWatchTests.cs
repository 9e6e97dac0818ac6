using System.IO.Pipes;
using System.Text;
using Sim.Core;
using Sim.Net;
using Sim.Real;

namespace Sim.Tests.Real;

/// <summary>
/// asyncio's <c>add_reader(fd)</c>/<c>add_writer(fd)</c> on any file descriptor: on the epoll
/// backend with a pipe, and a clear NotSupportedException on the backends without descriptors.
/// Each test is bounded by a loop timer; none depends on speed.
/// </summary>
[Trait("Category", "Unit")]
public sealed class DescriptorWatchTests
{
    private const double TimeLimit = 10;

    private static T RunOnEpoll<T>(Func<EventLoop, Coroutine<T>> body)
    {
        var loop = RealLoop.Create(RealBackendKind.Epoll);
        try
        {
            var guard = loop.CallLater(TimeLimit, loop.Stop);
            var result = loop.RunUntilComplete(body(loop));
            guard.Cancel();
            return result;
        }
        finally
        {
            loop.Close();
        }
    }

    [Fact]
    public void AddReader_PipeOnEpoll_RunsWhenBytesArriveAndNotAfterRemoveReader()
    {
        if (!OperatingSystem.IsLinux())
            return;
        using var writeEnd = new AnonymousPipeServerStream(PipeDirection.Out);
        using var readEnd = new AnonymousPipeClientStream(PipeDirection.In, writeEnd.ClientSafePipeHandle);
        var (before, text, calls, removed, removedAgain) = RunOnEpoll(async loop =>
        {
            var received = new StringBuilder();
            var readerCalls = 0;
            var arrived = loop.CreateFuture<Unit>();
            loop.AddReader(readEnd.SafePipeHandle, () =>
            {
                readerCalls++;
                var buffer = new byte[64];
                received.Append(Encoding.ASCII.GetString(buffer, 0, readEnd.Read(buffer)));
                if (!arrived.Done)
                    arrived.SetResult(Unit.Value);
            });
            // Nothing written yet: a few iterations pass without the reader.
            for (var i = 0; i < 3; i++)
                await Asyncio.Sleep(0);
            var callsBefore = readerCalls;
            writeEnd.Write(Encoding.ASCII.GetBytes("ping"));
            await arrived;
            var removedFirst = loop.RemoveReader(readEnd.SafePipeHandle);
            writeEnd.Write(Encoding.ASCII.GetBytes("unread"));
            for (var i = 0; i < 3; i++)
                await Asyncio.Sleep(0);
            return (callsBefore, received.ToString(), readerCalls, removedFirst, loop.RemoveReader(readEnd.SafePipeHandle));
        });

        Assert.Equal(0, before);
        Assert.Equal("ping", text);
        Assert.Equal(1, calls);
        Assert.True(removed);
        Assert.False(removedAgain);
    }

    [Fact]
    public void AddReader_UnreadBytesOnEpoll_LevelTriggeredRunsEveryIterationUntilRemoved()
    {
        if (!OperatingSystem.IsLinux())
            return;
        using var writeEnd = new AnonymousPipeServerStream(PipeDirection.Out);
        using var readEnd = new AnonymousPipeClientStream(PipeDirection.In, writeEnd.ClientSafePipeHandle);
        var fd = (int)readEnd.SafePipeHandle.DangerousGetHandle();
        var calls = RunOnEpoll(async loop =>
        {
            var readerCalls = 0;
            var thrice = loop.CreateFuture<Unit>();
            writeEnd.Write([1, 2, 3]);
            // The callback never reads: the pipe stays readable and the reader runs again.
            loop.AddReader(fd, () =>
            {
                if (++readerCalls == 3)
                {
                    loop.RemoveReader(fd);
                    thrice.SetResult(Unit.Value);
                }
            });
            await thrice;
            for (var i = 0; i < 3; i++)
                await Asyncio.Sleep(0);
            return readerCalls;
        });

        Assert.Equal(3, calls);
    }

    [Fact]
    public void AddWriter_PipeWriteEndOnEpoll_RunsWhileThereIsRoomAndReplacingKeepsOneWriter()
    {
        if (!OperatingSystem.IsLinux())
            return;
        using var writeEnd = new AnonymousPipeServerStream(PipeDirection.Out);
        using var readEnd = new AnonymousPipeClientStream(PipeDirection.In, writeEnd.ClientSafePipeHandle);
        var (first, second, read) = RunOnEpoll(async loop =>
        {
            var firstCalls = 0;
            var wrote = loop.CreateFuture<Unit>();
            loop.AddWriter(writeEnd.SafePipeHandle, () => firstCalls++);
            // Replaced before the loop ran it: only the second writer runs.
            loop.AddWriter(writeEnd.SafePipeHandle, () =>
            {
                writeEnd.Write(Encoding.ASCII.GetBytes("pong"));
                loop.RemoveWriter(writeEnd.SafePipeHandle);
                wrote.SetResult(Unit.Value);
            });
            await wrote;
            var buffer = new byte[4];
            readEnd.ReadExactly(buffer);
            return (firstCalls, wrote.Done, Encoding.ASCII.GetString(buffer));
        });

        Assert.Equal(0, first);
        Assert.True(second);
        Assert.Equal("pong", read);
    }

    [Fact]
    public void AddReader_RegularFileOnEpoll_RaisesArgumentExceptionAndRegistersNothing()
    {
        if (!OperatingSystem.IsLinux())
            return;
        var path = Path.GetTempFileName();
        try
        {
            using var file = File.OpenHandle(path);
            var (error, removed) = RunOnEpoll(async loop =>
            {
                await Asyncio.Sleep(0);
                var thrown = Record.Exception(() => loop.AddReader(file, () => { }));
                return (thrown, loop.RemoveReader(file));
            });

            var argument = Assert.IsType<ArgumentException>(error);
            Assert.Contains("regular files", argument.Message, StringComparison.Ordinal);
            Assert.False(removed);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void AddReader_NegativeDescriptor_RaisesArgumentOutOfRange()
    {
        var loop = new Simulation(seed: 1, new SimulationOptions { Log = TextWriter.Null }).Loop;
        Assert.Throws<ArgumentOutOfRangeException>(() => loop.AddReader(-1, () => { }));
        loop.Close();
    }

    [Fact]
    public void AddReaderAndAddWriter_SimulationAndPortableBackend_RaiseNotSupportedSayingWhatCan()
    {
        var simulated = new Simulation(seed: 1, new SimulationOptions { Log = TextWriter.Null }).Loop;
        var portable = RealLoop.Create(RealBackendKind.Portable);
        try
        {
            foreach (var loop in new[] { simulated, portable })
            {
                var reader = Assert.Throws<NotSupportedException>(() => loop.AddReader(0, () => { }));
                Assert.Contains("epoll", reader.Message, StringComparison.Ordinal);
                Assert.Throws<NotSupportedException>(() => loop.AddWriter(1, () => { }));
                Assert.False(loop.RemoveReader(0));
                Assert.False(loop.RemoveWriter(1));
            }
        }
        finally
        {
            simulated.Close();
            portable.Close();
        }
    }
}

using System.Net;
using System.Net.Sockets;
using Sim.Core;
using Sim.Tests.Conformance;
using Sim.Tests.Infrastructure;

namespace Sim.Tests.Transports;

/// <summary>A server's protocol factory failing, on the simulated network.</summary>
public sealed class ServerFactoryTests
{
    [Theory]
    [InlineData(false, SocketError.Success)]
    [InlineData(true, SocketError.ConnectionReset)]
    public void FactoryThrows_TheErrorIsReported_AndTheConnectionEnds(bool closeServerFirst, SocketError expected)
    {
        var loop = TestLoops.NewLoop();
        var errors = new List<ExceptionContext>();
        loop.SetExceptionHandler((_, context) => errors.Add(context));
        try
        {
            var lost = loop.RunUntilComplete(Body());
            Assert.Equal(expected, (lost as SocketException)?.SocketErrorCode ?? SocketError.Success);
            var error = Assert.Single(errors);
            Assert.Equal("Error on transport creation for incoming connection", error.Message);
            Assert.IsType<InvalidOperationException>(error.Exception);
        }
        finally
        {
            loop.Close();
        }

        async Coroutine<Exception?> Body()
        {
            Server? server = null;
            server = await loop.CreateServer<RecordingProtocol>(() =>
            {
                if (closeServerFirst)
                    server!.Close();
                throw new InvalidOperationException("no protocol for you");
            }, "127.0.0.1", 0);
            var (_, client) = await loop.CreateConnection(() => new RecordingProtocol(loop), "127.0.0.1", ((IPEndPoint)server.Sockets[0]).Port);
            var lost = await client.Lost;
            server.Close();
            await server.WaitClosed();
            return lost;
        }
    }
}

using System.Net.Sockets;
using Sim.Real.Sockets;

namespace Sim.Tests.Real;

/// <summary>
/// The epoll backend's errno mapping gives the codes .NET's own sockets (the portable backend) and
/// the simulated network raise for the same situations. The conformance suites provoke the ones
/// loopback can (refused, reset, broken pipe, address in use); a timeout needs a peer that never
/// answers, which loopback never is, so its mapping is checked here.
/// </summary>
public sealed class SocketErrorMappingTests
{
    [Theory]
    [InlineData(111, SocketError.ConnectionRefused)]   // ECONNREFUSED
    [InlineData(104, SocketError.ConnectionReset)]     // ECONNRESET
    [InlineData(32, SocketError.Shutdown)]             // EPIPE: what .NET raises for a broken pipe
    [InlineData(98, SocketError.AddressAlreadyInUse)]  // EADDRINUSE
    [InlineData(110, SocketError.TimedOut)]            // ETIMEDOUT
    [InlineData(113, SocketError.HostUnreachable)]     // EHOSTUNREACH
    [InlineData(11, SocketError.WouldBlock)]           // EAGAIN
    [InlineData(24, SocketError.TooManyOpenSockets)]   // EMFILE: the server's accept pauses
    [InlineData(105, SocketError.NoBufferSpaceAvailable)] // ENOBUFS: likewise
    [InlineData(12, SocketError.NoBufferSpaceAvailable)]  // ENOMEM: likewise (asyncio's fourth)
    [InlineData(112, SocketError.HostDown)]            // EHOSTDOWN: a connect's SO_ERROR on a LAN
    [InlineData(102, SocketError.NetworkReset)]        // ENETRESET
    [InlineData(88, SocketError.NotSocket)]            // ENOTSOCK
    [InlineData(95, SocketError.OperationNotSupported)] // EOPNOTSUPP
    [InlineData(92, SocketError.ProtocolOption)]       // ENOPROTOOPT
    public void ErrorOf_LinuxErrno_GivesTheSocketErrorDotNetRaises(int errno, SocketError expected)
    {
        var error = NativeSockets.ErrorOf(errno);
        Assert.Equal(expected, error.SocketErrorCode);
        Assert.False(string.IsNullOrWhiteSpace(error.Message));
    }

    [Fact]
    public void ErrorOf_AnErrnoWithoutASocketMeaning_GivesTheGenericSocketError()
    {
        Assert.Equal(SocketError.SocketError, NativeSockets.ErrorOf(5).SocketErrorCode);  // EIO
    }
}

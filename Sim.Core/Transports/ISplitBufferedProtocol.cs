namespace Sim.Core;

/// <summary>
/// A buffered protocol whose receive may go to two buffers (a vectored receive): the first
/// filled before the second. <see cref="IBufferedProtocol.BufferUpdated"/> then gets the count in
/// all, which may run past the first buffer's end into the second. The stream reader's: it lets
/// the socket fill the very array <see cref="StreamReader.Read(int)"/> will return, with what
/// does not fit there going to a scratch buffer (see StreamReader.Receive.cs).
/// </summary>
internal interface ISplitBufferedProtocol : IBufferedProtocol
{
    /// <summary>As <see cref="IBufferedProtocol.GetBuffer"/>, with where the rest of the receive
    /// goes in <paramref name="overflow"/> (empty: the first buffer only).</summary>
    Memory<byte> GetBuffers(out Memory<byte> overflow);

    /// <summary>The receive the buffers were for brought no bytes (it would have blocked, failed,
    /// or met the end of the stream): <see cref="IBufferedProtocol.BufferUpdated"/> will not follow.</summary>
    void BuffersUnused();
}

using System.Net.Sockets;

namespace Sim.Real.Portable;

/// <summary>
/// One reusable socket operation of an endpoint (its receive, its send or connect, its accept).
/// When the operation finishes at once, the endpoint handles it in the call that started it;
/// when it finishes later, on a thread-pool thread, it is only queued for the loop thread: no
/// endpoint state is touched off the loop thread. (Once the backend is disposed, the posting
/// thread drops it instead: see <see cref="SocketBackend.Post"/>.)
/// </summary>
internal sealed class SocketOperation(SocketBackend backend, SocketEndpoint owner)
    : SocketAsyncEventArgs(unsafeSuppressExecutionContextFlow: true)
{
    /// <summary>The endpoint that started the operation and finishes it.</summary>
    public SocketEndpoint Owner { get; } = owner;

    protected override void OnCompleted(SocketAsyncEventArgs e) => backend.Post(this);
}

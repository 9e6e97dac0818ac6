using System.Net;
using System.Net.Sockets;

namespace Sim.Core;

internal sealed partial class DatagramTransport
{
    // Sends dropped after a connected endpoint was lost before each one is logged (asyncio's
    // LOG_THRESHOLD_FOR_CONNLOST_WRITES).
    private const int LostSendsLoggedFrom = 5;

    private readonly Queue<(byte[] Data, EndPoint? Address)> _buffer = new();
    private int _bufferSize;

    /// <inheritdoc/>
    public void SendTo(ReadOnlySpan<byte> data, EndPoint? address = null)
    {
        if (data.IsEmpty)
            return;
        if (_address is not null)
        {
            if (address is not null && !address.Equals(_address))
                throw new ArgumentException($"Invalid address: must be None or {_address}", nameof(address));
            address = null;   // the connected peer
        }
        else if (address is null)
        {
            throw new ArgumentNullException(nameof(address), "An unconnected datagram endpoint needs an address to send to.");
        }
        if (_connectionLost > 0)
        {
            if (_connectionLost >= LostSendsLoggedFrom)
                _loop.LogWarning("socket.send() raised exception.");
            _connectionLost++;
            return;
        }
        if (_buffer.Count == 0)
        {
            // Nothing queued: try to send at once.
            try
            {
                if (_socket.SendTo(data, address))
                    return;
            }
            catch (SocketException error)
            {
                CallErrorReceived(error);
                return;
            }
            catch (Exception error)
            {
                FatalError(error, "Fatal write error on datagram transport");
                return;
            }
            AddInterest(IoReadiness.Writable);
        }
        _buffer.Enqueue((data.ToArray(), address));
        _bufferSize += data.Length;
        MaybePauseProtocol();
    }

    /// <inheritdoc/>
    public int GetWriteBufferSize() => _bufferSize;

    /// <inheritdoc/>
    public void SetWriteBufferLimits(int? high = null, int? low = null) => _flow.SetLimits(high, low, _bufferSize, _protocol);

    /// <inheritdoc/>
    public (int Low, int High) GetWriteBufferLimits() => (_flow.Low, _flow.High);

    /// <summary>The socket is writable: send the buffered datagrams in order until it would block.
    /// A datagram whose send fails is dropped and its error reported (asyncio's <c>_sendto_ready</c>).</summary>
    private void WriteReady()
    {
        if (_connectionLost > 0)
            return;
        while (_buffer.TryPeek(out var next))
        {
            bool sent;
            try
            {
                sent = _socket.SendTo(next.Data, next.Address);
            }
            catch (SocketException error)
            {
                _buffer.Dequeue();
                _bufferSize -= next.Data.Length;
                CallErrorReceived(error);
                return;
            }
            catch (Exception error)
            {
                FatalError(error, "Fatal write error on datagram transport");
                return;
            }
            if (!sent)
                break;
            _buffer.Dequeue();
            _bufferSize -= next.Data.Length;
        }
        MaybeResumeProtocol();   // may send or buffer more, or close or abort
        if (_connectionLost > 0 || _buffer.Count > 0)
            return;
        RemoveInterest(IoReadiness.Writable);
        if (_closing)
        {
            _connectionLost++;
            CallConnectionLost(null);
        }
    }

    private void MaybePauseProtocol() => _flow.MaybePause(_bufferSize, _protocol);

    private void MaybeResumeProtocol() => _flow.MaybeResume(_bufferSize, _protocol);
}

namespace Sim.Core;

/// <summary>
/// The order a transport calls its protocol in, as a state machine:
/// <c>start -> ConnectionMade -> DataReceived* -> EofReceived? -> ConnectionLost -> end</c>
/// (datagram endpoints: <c>start -> ConnectionMade -> (DatagramReceived | ErrorReceived)* -> ConnectionLost -> end</c>).
/// Every call a transport makes goes through <see cref="Enter"/>; a call out of order is a bug of
/// the transport and fails loudly.
/// </summary>
internal struct ProtocolGrammar
{
    private State _state;

    private enum State
    {
        Start,
        Connected,
        EofReceived,
        Lost,
    }

    /// <summary>The protocol is about to hear <paramref name="call"/>.</summary>
    /// <exception cref="InvalidOperationException">The call breaks the grammar.</exception>
    public void Enter(ProtocolCall call)
    {
        var next = (_state, call) switch
        {
            (State.Start, ProtocolCall.ConnectionMade) => State.Connected,
            (State.Connected, ProtocolCall.DataReceived or ProtocolCall.DatagramReceived or ProtocolCall.ErrorReceived) => State.Connected,
            (State.Connected, ProtocolCall.EofReceived) => State.EofReceived,
            (State.Connected or State.EofReceived, ProtocolCall.ConnectionLost) => State.Lost,
            _ => throw new InvalidOperationException(
                $"Protocol grammar violated: {call} after {_state} (expected ConnectionMade [DataReceived*] [EofReceived] ConnectionLost)."),
        };
        _state = next;
    }

    /// <summary>True between ConnectionMade and ConnectionLost, before any EOF.</summary>
    public readonly bool IsReceiving => _state == State.Connected;
}

/// <summary>The calls <see cref="ProtocolGrammar"/> orders.</summary>
internal enum ProtocolCall
{
    ConnectionMade,
    DataReceived,
    EofReceived,
    ConnectionLost,
    DatagramReceived,
    ErrorReceived,
}

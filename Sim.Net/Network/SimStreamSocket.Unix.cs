using Sim.Core;

namespace Sim.Net;

internal sealed partial class SimStreamSocket
{
    /// <summary>
    /// A Unix-domain connect, decided at once as the kernel decides a local one: an unnamed client
    /// socket, established, and its server end queued on <paramref name="listener"/>. Bytes then
    /// flow as on a TCP connection (drawn chunk sizes and latencies, FIN, reset).
    /// </summary>
    public static SimStreamSocket ConnectUnix(SimNetwork network, Host host, SimStreamListener listener, UnixEndPoint path)
    {
        var client = new SimStreamSocket(network, host, UnixEndPoint.Unnamed, path, State.Established, ownsPort: false);
        var server = new SimStreamSocket(network, host, path, UnixEndPoint.Unnamed, State.Established, ownsPort: false);
        client._outgoing = server._incoming = new Flow(network, client, server);
        server._outgoing = client._incoming = new Flow(network, server, client);
        client._peer = server;
        server._peer = client;
        network.OpenConnections++;
        network.Record(host, "unix.connect", $"{SimNetwork.Format(client.LocalEndPoint)} -> {SimNetwork.Format(path)}");
        listener.Enqueue(server);
        return client;
    }
}

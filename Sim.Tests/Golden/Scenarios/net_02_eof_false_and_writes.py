# eof_received returning a false value closes the transport; write() after write_eof() raises
# RuntimeError, even once the connection is lost; on a transport that never wrote EOF, writes
# after the connection is lost are dropped silently; close() and abort() are idempotent.
import asyncio

class Recorder(asyncio.Protocol):
    def __init__(self, loop):
        self.events = []
        self.lost = loop.create_future()

    def connection_made(self, transport):
        self.transport = transport
        self.events.append("connection_made")

    def data_received(self, data):
        if self.events[-1] != "data_received":
            self.events.append("data_received")

    def eof_received(self):
        self.events.append("eof_received")
        return False

    def connection_lost(self, exc):
        self.events.append(f"connection_lost({exc!r})")
        self.lost.set_result(None)

async def main():
    loop = asyncio.get_running_loop()
    servers = []
    def factory():
        servers.append(Recorder(loop))
        return servers[-1]
    server = await loop.create_server(factory, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    transport, client = await loop.create_connection(lambda: Recorder(loop), "127.0.0.1", port)
    transport.write(b"ping")
    transport.write_eof()
    transport.write_eof()
    try:
        transport.write(b"more")
    except RuntimeError as e:
        print("write after write_eof:", type(e).__name__, e)
    print("can_write_eof:", transport.can_write_eof())
    await client.lost
    await servers[0].lost
    print("server events:", servers[0].events)
    print("client events:", client.events)
    print("client closing:", transport.is_closing())
    try:
        transport.write(b"more")
    except RuntimeError as e:
        print("write after write_eof and lost:", type(e).__name__)
    server_transport = servers[0].transport
    print("server closing:", server_transport.is_closing())
    server_transport.write(b"dropped")
    print("server buffer after dropped write:", server_transport.get_write_buffer_size())
    transport.close()
    transport.abort()
    print("client events after close and abort:", client.events)
    server.close()
    await server.wait_closed()

asyncio.run(main())

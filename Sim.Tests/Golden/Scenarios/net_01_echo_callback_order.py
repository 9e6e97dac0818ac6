# Protocol callback order on both ends of an echo over 127.0.0.1: connection_made, data
# (consecutive data_received merged: chunking is the network's business), eof_received returning
# True keeps the server half-open so it can answer after the client's EOF, then connection_lost(None).
import asyncio

class Recorder(asyncio.Protocol):
    def __init__(self, name, loop):
        self.name = name
        self.events = []
        self.data = b""
        self.lost = loop.create_future()

    def connection_made(self, transport):
        self.transport = transport
        self.events.append("connection_made")

    def data_received(self, data):
        if self.events[-1] != "data_received":
            self.events.append("data_received")
        self.data += data

    def eof_received(self):
        self.events.append("eof_received")

    def connection_lost(self, exc):
        self.events.append(f"connection_lost({exc!r})")
        self.lost.set_result(None)

class EchoUpper(Recorder):
    def data_received(self, data):
        super().data_received(data)
        self.transport.write(data.upper())

    def eof_received(self):
        super().eof_received()
        print("server closing after eof:", self.transport.is_closing())
        self.transport.write(b" bye")
        self.transport.close()
        print("server closing after close:", self.transport.is_closing())
        return True

async def main():
    loop = asyncio.get_running_loop()
    servers = []
    def factory():
        servers.append(EchoUpper("server", loop))
        return servers[-1]
    server = await loop.create_server(factory, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    transport, client = await loop.create_connection(lambda: Recorder("client", loop), "127.0.0.1", port)
    print("after create_connection:", client.events)
    transport.write(b"hello ")
    transport.write(b"world")
    transport.write_eof()
    print("client closing after write_eof:", transport.is_closing())
    await client.lost
    await servers[0].lost
    print("client events:", client.events)
    print("client received:", client.data)
    print("server events:", servers[0].events)
    print("server received:", servers[0].data)
    print("client buffer:", transport.get_write_buffer_size())
    server.close()
    await server.wait_closed()
    print("done")

asyncio.run(main())

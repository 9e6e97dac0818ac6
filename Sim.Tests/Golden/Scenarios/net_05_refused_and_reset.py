# Errors as exception types: a connect to a port nothing listens on raises ConnectionRefusedError;
# a peer closing with unread data resets the connection, and the client's protocol loses it with
# ConnectionResetError; drain() then raises ConnectionResetError too.
import asyncio

class Recorder(asyncio.Protocol):
    def __init__(self, loop, pause=False):
        self.events = []
        self.pause = pause
        self.lost = loop.create_future()

    def connection_made(self, transport):
        self.transport = transport
        self.events.append("connection_made")
        if self.pause:
            transport.pause_reading()

    def data_received(self, data):
        if self.events[-1] != "data_received":
            self.events.append("data_received")

    def eof_received(self):
        self.events.append("eof_received")

    def connection_lost(self, exc):
        self.events.append(f"connection_lost({type(exc).__name__ if exc else None})")
        self.lost.set_result(None)

async def main():
    loop = asyncio.get_running_loop()
    probe = await loop.create_server(lambda: Recorder(loop), "127.0.0.1", 0)
    port = probe.sockets[0].getsockname()[1]
    probe.close()
    await probe.wait_closed()
    try:
        await loop.create_connection(lambda: Recorder(loop), "127.0.0.1", port)
    except OSError as e:
        print("connect to closed port:", type(e).__name__)

    servers = []
    def factory():
        servers.append(Recorder(loop, pause=True))
        return servers[-1]
    server = await loop.create_server(factory, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    transport, client = await loop.create_connection(lambda: Recorder(loop), "127.0.0.1", port)
    transport.write(b"never read")
    await asyncio.sleep(0.2)
    print("server reading:", servers[0].transport.is_reading())
    servers[0].transport.close()
    await client.lost
    await servers[0].lost
    print("client events:", client.events)
    print("server events:", servers[0].events)

    async def handle(reader, writer):
        writer.transport.pause_reading()
        await asyncio.sleep(0.2)
        writer.close()
    stream_server = await asyncio.start_server(handle, "127.0.0.1", 0)
    port = stream_server.sockets[0].getsockname()[1]
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    writer.write(b"unread")
    try:
        await reader.read()
    except ConnectionResetError as e:
        print("read:", type(e).__name__)
    try:
        await writer.drain()
    except ConnectionResetError as e:
        print("drain:", type(e).__name__)
    server.close()
    stream_server.close()
    await server.wait_closed()
    await stream_server.wait_closed()

asyncio.run(main())

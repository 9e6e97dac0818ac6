# Server.close(): no longer serving, no sockets, new connects refused, accepted connections keep
# working. Write flow control: the limits and their defaults, pause_writing once the buffer
# passes the high-water mark, resume_writing once it is back at the low-water mark.
import asyncio

class Recorder(asyncio.Protocol):
    def __init__(self, loop, pause=False):
        self.data = b""
        self.pause = pause
        self.pauses = []
        self.resumed = loop.create_future()
        self.lost = loop.create_future()

    def connection_made(self, transport):
        self.transport = transport
        if self.pause:
            transport.pause_reading()

    def data_received(self, data):
        self.data += data

    def eof_received(self):
        pass

    def pause_writing(self):
        self.pauses.append(self.transport.get_write_buffer_size() > 64 * 1024)

    def resume_writing(self):
        self.resumed.set_result(self.transport.get_write_buffer_size() <= 16 * 1024)

    def connection_lost(self, exc):
        self.lost.set_result(exc)

async def main():
    loop = asyncio.get_running_loop()
    servers = []
    def factory():
        servers.append(Recorder(loop, pause=True))
        return servers[-1]
    server = await loop.create_server(factory, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    print("serving:", server.is_serving())
    transport, client = await loop.create_connection(lambda: Recorder(loop), "127.0.0.1", port)
    server.close()
    print("serving after close:", server.is_serving(), "sockets:", len(server.sockets))
    try:
        await loop.create_connection(lambda: Recorder(loop), "127.0.0.1", port)
    except OSError as e:
        print("connect after close:", type(e).__name__)

    print("limits:", transport.get_write_buffer_limits())
    transport.set_write_buffer_limits(high=1000)
    print("high only:", transport.get_write_buffer_limits())
    transport.set_write_buffer_limits(low=100)
    print("low only:", transport.get_write_buffer_limits())
    try:
        transport.set_write_buffer_limits(high=10, low=20)
    except ValueError as e:
        print("high below low:", type(e).__name__)
    transport.set_write_buffer_limits()
    print("defaults again:", transport.get_write_buffer_limits())

    transport.write(b"x" * (32 * 1024 * 1024))
    print("pause_writing calls:", client.pauses)
    await asyncio.sleep(0.2)
    print("still paused:", not client.resumed.done())
    servers[0].transport.resume_reading()
    print("resumed at or below low water:", await client.resumed)
    transport.close()
    print("client lost with:", await client.lost)
    while len(servers[0].data) < 32 * 1024 * 1024:
        await asyncio.sleep(0.01)
    print("server received all:", len(servers[0].data))
    servers[0].transport.close()
    await servers[0].lost
    await server.wait_closed()

asyncio.run(main())

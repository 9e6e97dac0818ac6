# Unix-domain stream sockets: a missing path raises FileNotFoundError; the echo's callback order over
# a socket path; extra info (the path, '' for the unnamed client end); a closed server's socket file
# stays behind (CPython 3.11 has no cleanup_socket: the C# twin passes cleanupSocket: false) and a
# connect to it is refused; a regular file in the way of a server is "already in use" (errno 98);
# a new server takes over the stale file, and streams work over it.
import asyncio
import os
import tempfile

class Recorder(asyncio.Protocol):
    def __init__(self, loop, echo=False):
        self.events = []
        self.data = bytearray()
        self.echo = echo
        self.lost = loop.create_future()

    def connection_made(self, transport):
        self.transport = transport
        self.events.append("connection_made")

    def data_received(self, data):
        if self.events[-1] != "data_received":
            self.events.append("data_received")
        self.data += data
        if self.echo:
            self.transport.write(data)

    def eof_received(self):
        self.events.append("eof_received")

    def connection_lost(self, exc):
        self.events.append(f"connection_lost({type(exc).__name__ if exc else None})")
        self.lost.set_result(None)

async def main():
    loop = asyncio.get_running_loop()
    directory = tempfile.mkdtemp()
    path = os.path.join(directory, "echo.sock")
    try:
        await loop.create_unix_connection(lambda: Recorder(loop), path)
    except OSError as e:
        print("connect to a missing path:", type(e).__name__)

    servers = []
    def factory():
        servers.append(Recorder(loop, echo=True))
        return servers[-1]
    server = await loop.create_unix_server(factory, path)
    print("server listens on the path:", server.sockets[0].getsockname() == path)
    transport, client = await loop.create_unix_connection(lambda: Recorder(loop), path)
    print("client peername is the path:", transport.get_extra_info("peername") == path)
    print("client sockname:", repr(transport.get_extra_info("sockname")))
    transport.write(b"hello")
    transport.write_eof()
    await client.lost
    await servers[0].lost
    print("client events:", client.events)
    print("client received:", client.data.decode())
    print("server events:", servers[0].events)
    print("server sockname is the path:", servers[0].transport.get_extra_info("sockname") == path)
    print("server peername:", repr(servers[0].transport.get_extra_info("peername")))
    server.close()
    await server.wait_closed()

    print("socket file after close:", os.path.exists(path))
    try:
        await loop.create_unix_connection(lambda: Recorder(loop), path)
    except OSError as e:
        print("connect to the stale file:", type(e).__name__)

    plain = os.path.join(directory, "plain")
    open(plain, "w").close()
    try:
        await loop.create_unix_server(factory, plain)
    except OSError as e:
        print("server on a regular file:", type(e).__name__, e.errno)

    server = await loop.create_unix_server(factory, path)
    reader, writer = await asyncio.open_unix_connection(path)
    writer.write(b"again\n")
    print("stream echo:", (await reader.readline()).decode().strip())
    writer.close()
    await writer.wait_closed()
    await servers[-1].lost
    print("stream server events:", servers[-1].events)
    server.close()
    await server.wait_closed()
    os.remove(path)
    os.remove(plain)
    os.rmdir(directory)

asyncio.run(main())

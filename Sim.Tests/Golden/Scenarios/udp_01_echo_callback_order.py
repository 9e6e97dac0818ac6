# A datagram echo on 127.0.0.1: callback order (connection_made before create_datagram_endpoint
# returns, datagram_received per datagram, connection_lost(None) after close), the connected
# endpoint's extra info and write-buffer limits, an empty sendto ignored, sendto to another
# address than the connected peer refused with ValueError, and sends after close dropped.
import asyncio

class Recorder(asyncio.DatagramProtocol):
    def __init__(self, loop, echo=False):
        self.events = []
        self.echo = echo
        self.lost = loop.create_future()
        self.received = loop.create_future()
        self.count = 0

    def connection_made(self, transport):
        self.transport = transport
        self.events.append("connection_made")

    def datagram_received(self, data, addr):
        self.events.append(f"datagram_received {data!r}")
        if self.echo:
            self.transport.sendto(data.upper(), addr)
        self.count += 1
        if self.count == 2 and not self.received.done():
            self.received.set_result(addr)

    def error_received(self, exc):
        self.events.append(f"error_received({type(exc).__name__})")

    def connection_lost(self, exc):
        self.events.append(f"connection_lost({type(exc).__name__ if exc else None})")
        self.lost.set_result(None)

async def main():
    loop = asyncio.get_running_loop()
    server_transport, server = await loop.create_datagram_endpoint(
        lambda: Recorder(loop, echo=True), local_addr=("127.0.0.1", 0))
    server_addr = server_transport.get_extra_info("sockname")
    print("server peername:", server_transport.get_extra_info("peername"))
    print("server events after create:", server.events)

    transport, client = await loop.create_datagram_endpoint(
        lambda: Recorder(loop), remote_addr=("127.0.0.1", server_addr[1]))
    print("client events after create:", client.events)
    print("peername is the server:", transport.get_extra_info("peername") == server_addr)
    print("sockname host:", transport.get_extra_info("sockname")[0])
    print("limits:", transport.get_write_buffer_limits(), "buffered:", transport.get_write_buffer_size())
    print("is_closing:", transport.is_closing())

    transport.sendto(b"")
    transport.sendto(b"hello")
    transport.sendto(b"world", server_addr)
    try:
        transport.sendto(b"elsewhere", ("127.0.0.1", server_addr[1] + 1 if server_addr[1] < 65535 else 1))
    except ValueError as e:
        print("sendto another address:", type(e).__name__, str(e).startswith("Invalid address: must be None or"))
    print("buffered after sends:", transport.get_write_buffer_size())

    reply_from = await client.received
    print("reply from the server:", reply_from == server_addr)
    print("server events:", server.events)
    print("client events:", client.events)

    transport.close()
    print("closing after close:", transport.is_closing())
    transport.sendto(b"dropped")
    print("client events right after close:", client.events)
    await client.lost
    print("client events after lost:", client.events)
    server_transport.abort()
    await server.lost
    print("server events after abort:", server.events)

    try:
        await loop.create_datagram_endpoint(lambda: Recorder(loop))
    except ValueError as e:
        print("no address, no family:", type(e).__name__)

asyncio.run(main())

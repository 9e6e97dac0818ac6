# Errors on datagram endpoints go to error_received and leave the endpoint open: a connected
# endpoint whose peer port has no socket hears ConnectionRefusedError (the ICMP port unreachable
# Linux reports on connected sockets), an unconnected one sending to the same port hears nothing,
# a datagram larger than UDP allows gives OSError EMSGSIZE (errno 90); binding a port in use
# raises OSError EADDRINUSE (errno 98).
import asyncio

class Recorder(asyncio.DatagramProtocol):
    def __init__(self, loop):
        self.events = []
        self.lost = loop.create_future()
        self.changed = loop.create_future()

    def connection_made(self, transport):
        self.transport = transport
        self.events.append("connection_made")

    def datagram_received(self, data, addr):
        self.events.append(f"datagram_received {data!r}")
        self._changed()

    def error_received(self, exc):
        self.events.append(f"error_received({type(exc).__name__}, errno {exc.errno})")
        self._changed()

    def connection_lost(self, exc):
        self.events.append(f"connection_lost({type(exc).__name__ if exc else None})")
        self.lost.set_result(None)

    def _changed(self):
        if not self.changed.done():
            self.changed.set_result(None)

    async def next_event(self):
        await self.changed
        self.changed = asyncio.get_running_loop().create_future()

async def main():
    loop = asyncio.get_running_loop()
    probe_transport, probe = await loop.create_datagram_endpoint(lambda: Recorder(loop), local_addr=("127.0.0.1", 0))
    port = probe_transport.get_extra_info("sockname")[1]
    try:
        await loop.create_datagram_endpoint(lambda: Recorder(loop), local_addr=("127.0.0.1", port))
    except OSError as e:
        print("bind a port in use:", type(e).__name__, e.errno)
    probe_transport.close()
    await probe.lost

    transport, client = await loop.create_datagram_endpoint(lambda: Recorder(loop), remote_addr=("127.0.0.1", port))
    transport.sendto(b"anyone?")
    await client.next_event()
    print("connected, after sending to a closed port:", client.events)
    print("is_closing:", transport.is_closing())
    transport.sendto(b"x" * 70000)
    await client.next_event()
    print("after a datagram too large:", client.events)
    transport.close()
    await client.lost
    print("after close:", client.events)

    echo_transport, echo = await loop.create_datagram_endpoint(lambda: Recorder(loop), local_addr=("127.0.0.1", 0))
    echo_addr = echo_transport.get_extra_info("sockname")
    transport, client = await loop.create_datagram_endpoint(lambda: Recorder(loop), local_addr=("127.0.0.1", 0))
    transport.sendto(b"into the void", ("127.0.0.1", port))
    transport.sendto(b"hello", echo_addr)
    await echo.next_event()
    print("echo side:", echo.events)
    await asyncio.sleep(0.05)
    print("unconnected, after sending to a closed port:", client.events)
    transport.close()
    echo_transport.close()
    await client.lost
    await echo.lost
    print("closed:", client.events[-1], echo.events[-1])

asyncio.run(main())

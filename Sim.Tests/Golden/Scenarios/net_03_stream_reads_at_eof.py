# StreamReader over a connection whose peer wrote a few lines and closed: readline, readuntil,
# readexactly, IncompleteReadError with partial and expected, at_eof, reads after EOF.
import asyncio

async def handle(reader, writer):
    writer.write(b"alpha\nbeta;gamma\nrest")
    await writer.drain()
    writer.close()
    await writer.wait_closed()

async def main():
    server = await asyncio.start_server(handle, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    print("readline:", await reader.readline())
    print("readuntil:", await reader.readuntil(b";"))
    print("readexactly:", await reader.readexactly(3))
    print("readline:", await reader.readline())
    try:
        await reader.readexactly(10)
    except asyncio.IncompleteReadError as e:
        print("readexactly:", type(e).__name__, e.partial, e.expected, e)
    print("at_eof:", reader.at_eof())
    print("readline at eof:", await reader.readline())
    print("read at eof:", await reader.read())
    try:
        await reader.readuntil(b"!")
    except asyncio.IncompleteReadError as e:
        print("readuntil at eof:", type(e).__name__, e.partial, e.expected, e)
    print("writer closing:", writer.is_closing())
    writer.close()
    print("writer closing:", writer.is_closing())
    await writer.wait_closed()
    server.close()
    await server.wait_closed()

asyncio.run(main())

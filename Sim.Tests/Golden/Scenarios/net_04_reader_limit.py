# The stream reader's limit (20 here): readuntil raises LimitOverrunError and keeps the data;
# readline drops the long line (asyncio turns the error into ValueError there); a separator
# beyond the limit and one never found report different consumed counts. Each connection sends
# at most twice the limit, so the reader never pauses, and the client waits until every byte
# is buffered: what it sees does not depend on how the bytes were chunked.
import asyncio

LIMIT = 20

async def serve(data):
    async def handle(reader, writer):
        writer.write(data)
        await writer.drain()
        await reader.read()
        writer.close()
    return await asyncio.start_server(handle, "127.0.0.1", 0)

async def connect(data):
    server = await serve(data)
    port = server.sockets[0].getsockname()[1]
    reader, writer = await asyncio.open_connection("127.0.0.1", port, limit=LIMIT)
    while len(reader._buffer) < len(data):
        await asyncio.sleep(0.01)
    return server, reader, writer

async def finish(server, writer):
    writer.close()
    await writer.wait_closed()
    server.close()
    await server.wait_closed()

async def main():
    server, reader, writer = await connect(b"0123456789abcdefghijXYZ;tail\nzz")
    try:
        await reader.readuntil(b";")
    except asyncio.LimitOverrunError as e:
        print("readuntil:", type(e).__name__, e, e.consumed)
    print("readexactly:", await reader.readexactly(24))
    print("readline:", await reader.readline())
    print("read:", await reader.read(100))
    await finish(server, writer)

    server, reader, writer = await connect(b"0123456789abcdefghijklmnopqrstuvw\nnext\n")
    try:
        await reader.readline()
    except ValueError as e:
        print("readline:", type(e).__name__, e)
    print("readline:", await reader.readline())
    await finish(server, writer)

    server, reader, writer = await connect(b"z" * 30)
    try:
        await reader.readuntil(b"\n")
    except asyncio.LimitOverrunError as e:
        print("readuntil:", type(e).__name__, e, e.consumed)
    print("read:", await reader.read(100))
    await finish(server, writer)

asyncio.run(main())

# Queue under cancellation: a getter cancelled while it waits is skipped; a getter cancelled
# after put_nowait() woke it leaves the item for the next getter (no item is lost or stolen).
# The same holds for putters waiting on a full queue.
import asyncio

async def getter(q, name):
    try:
        item = await q.get()
    except asyncio.CancelledError:
        print(name, "cancelled; qsize:", q.qsize())
        raise
    print(name, "got", item)

async def putter(q, name, item):
    try:
        await q.put(item)
    except asyncio.CancelledError:
        print(name, "cancelled; qsize:", q.qsize())
        raise
    print(name, "put", item)

async def settle(tasks):
    for name, t in tasks.items():
        try:
            await t
        except asyncio.CancelledError:
            print(name, "was cancelled")

async def main():
    loop = asyncio.get_running_loop()
    q = asyncio.Queue(1)
    getters = {n: loop.create_task(getter(q, n)) for n in ["g1", "g2", "g3", "g4"]}
    await asyncio.sleep(0)
    getters["g2"].cancel()
    q.put_nowait("x")
    getters["g1"].cancel()
    print("put x, cancelled g1 after it was woken")
    await asyncio.sleep(0)
    print("g1 passed its wake-up on; qsize:", q.qsize())
    await asyncio.sleep(0)
    q.put_nowait("y")
    await settle(getters)
    print("qsize:", q.qsize())

    q.put_nowait("full")
    putters = {n: loop.create_task(putter(q, n, n + "-item")) for n in ["p1", "p2", "p3"]}
    await asyncio.sleep(0)
    print("got", q.get_nowait(), "; p1 woken, then cancelled")
    putters["p1"].cancel()
    await asyncio.sleep(0)
    await asyncio.sleep(0)
    print("qsize:", q.qsize(), "; p3 still waiting:", not putters["p3"].done())
    print("got", q.get_nowait())
    await settle(putters)
    print("left:", q.get_nowait(), "; qsize:", q.qsize())

asyncio.run(main())

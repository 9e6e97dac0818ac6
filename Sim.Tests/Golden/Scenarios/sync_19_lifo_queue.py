# LifoQueue hands out the item put last first; a getter blocked on an empty LifoQueue gets the
# first item put after it started waiting; a bounded one blocks putters when full.
import asyncio

async def main():
    loop = asyncio.get_running_loop()
    q = asyncio.LifoQueue()
    for item in ["a", "b", "c", "d"]:
        q.put_nowait(item)
    print("got", q.get_nowait(), q.get_nowait())
    q.put_nowait("e")
    print("then", [q.get_nowait() for _ in range(q.qsize())])

    async def take(name):
        print(name, "got", await q.get())

    getters = [loop.create_task(take(n)) for n in ["g1", "g2"]]
    await asyncio.sleep(0)
    q.put_nowait("x")
    q.put_nowait("y")
    q.put_nowait("z")
    for t in getters:
        await t
    print("left:", q.get_nowait(), "empty:", q.empty())

    bounded = asyncio.LifoQueue(1)
    bounded.put_nowait("only")
    blocked = loop.create_task(bounded.put("next"))
    await asyncio.sleep(0)
    print("full:", bounded.full(), "; blocked put done:", blocked.done())
    print("got", await bounded.get())
    await blocked
    print("got", await bounded.get())

asyncio.run(main())

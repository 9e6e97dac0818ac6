# PriorityQueue hands out the lowest priority first; equal priorities come out in the order they
# were put (the sequence number in each entry decides, as asyncio's docs suggest). A getter
# waiting on an empty queue gets the first item put; a bounded one blocks putters when full.
import asyncio
import itertools

async def main():
    loop = asyncio.get_running_loop()
    seq = itertools.count()
    q = asyncio.PriorityQueue()
    for priority, name in [(3, "low"), (1, "urgent"), (2, "normal-a"), (1, "urgent-b"), (2, "normal-b"), (0, "now")]:
        q.put_nowait((priority, next(seq), name))
    print("qsize:", q.qsize())
    while not q.empty():
        priority, _, name = q.get_nowait()
        print("priority", priority, name)

    async def take(name):
        priority, _, item = await q.get()
        print(name, "got", item, "priority", priority)

    waiting = loop.create_task(take("waiter"))
    await asyncio.sleep(0)
    q.put_nowait((5, next(seq), "first-put"))
    q.put_nowait((0, next(seq), "second-put"))
    await waiting
    print("left:", q.get_nowait()[2])

    bounded = asyncio.PriorityQueue(2)
    async def put(priority, name):
        await bounded.put((priority, next(seq), name))
        print("put", name)
    bounded.put_nowait((9, next(seq), "nine"))
    bounded.put_nowait((4, next(seq), "four"))
    putters = [loop.create_task(put(p, n)) for p, n in [(1, "one"), (7, "seven")]]
    await asyncio.sleep(0)
    print("full:", bounded.full())
    for _ in range(4):
        print("got", (await bounded.get())[2])
        await asyncio.sleep(0)
    for t in putters:
        await t

asyncio.run(main())

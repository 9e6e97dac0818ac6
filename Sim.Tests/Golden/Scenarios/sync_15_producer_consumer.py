# Producers and consumers on a bounded Queue(2): producers block while it is full and resume
# in arrival order as consumers take items; every item is consumed once, in FIFO order per
# the queue; join() waits for the last task_done().
import asyncio

async def producer(q, name, items, delay):
    for item in items:
        await asyncio.sleep(delay)
        print(name, "puts", item, "; full:", q.full())
        await q.put(item)
        print(name, "put", item, "; qsize:", q.qsize())

async def consumer(q, name, delay, seen):
    while True:
        item = await q.get()
        print(name, "got", item)
        seen.append(item)
        await asyncio.sleep(delay)
        q.task_done()

async def main():
    loop = asyncio.get_running_loop()
    q = asyncio.Queue(2)
    seen = []
    producers = [
        loop.create_task(producer(q, "p1", ["a1", "a2", "a3", "a4"], 0.01)),
        loop.create_task(producer(q, "p2", ["b1", "b2", "b3"], 0.013)),
    ]
    consumers = [
        loop.create_task(consumer(q, "c1", 0.07, seen)),
        loop.create_task(consumer(q, "c2", 0.11, seen)),
    ]
    for p in producers:
        await p
    print("producers done; qsize:", q.qsize())
    await q.join()
    print("joined; seen:", seen)
    for c in consumers:
        c.cancel()
    for c in consumers:
        try:
            await c
        except asyncio.CancelledError:
            pass
    print("sorted:", sorted(seen))

asyncio.run(main())

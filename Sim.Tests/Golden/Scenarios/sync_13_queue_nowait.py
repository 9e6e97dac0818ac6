# Queue(maxsize=2) without waiting: put_nowait raises QueueFull when full, get_nowait raises
# QueueEmpty when empty; qsize/empty/full follow; items come out in FIFO order. A Queue with
# maxsize 0 (or less) is unbounded.
import asyncio

async def main():
    q = asyncio.Queue(maxsize=2)
    print("maxsize:", q.maxsize, "qsize:", q.qsize(), "empty:", q.empty(), "full:", q.full())
    try:
        q.get_nowait()
    except asyncio.QueueEmpty as e:
        print("get_nowait on empty:", type(e).__name__)
    q.put_nowait("a")
    q.put_nowait("b")
    print("qsize:", q.qsize(), "empty:", q.empty(), "full:", q.full())
    try:
        q.put_nowait("c")
    except asyncio.QueueFull as e:
        print("put_nowait on full:", type(e).__name__)
    print("got", q.get_nowait(), q.get_nowait())
    print("qsize:", q.qsize(), "empty:", q.empty(), "full:", q.full())
    for maxsize in (0, -1):
        unbounded = asyncio.Queue(maxsize)
        for i in range(1000):
            unbounded.put_nowait(i)
        print("maxsize", maxsize, "holds", unbounded.qsize(), "full:", unbounded.full())
    q.put_nowait(1)
    print("put awaits nothing when there is room:", await q.put(2), q.qsize())
    print("get awaits nothing when there is an item:", await q.get(), await q.get())

asyncio.run(main())

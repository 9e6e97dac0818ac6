# On timeout wait() returns what is done and what is pending: no TimeoutError, and the pending
# tasks are not cancelled; they finish later. Duplicates count once. Cancelling the task that
# waits does not cancel the awaited tasks either.
import asyncio

async def work(name, delay):
    await asyncio.sleep(delay)
    print("finished", name)
    return name

def names(futures):
    return sorted(f.get_name() for f in futures)

async def main():
    loop = asyncio.get_running_loop()
    a = loop.create_task(work("a", 0.1), name="a")
    b = loop.create_task(work("b", 0.5), name="b")
    done, pending = await asyncio.wait([a, b, a], timeout=0.2)
    print("done:", names(done), "pending:", names(pending), "b cancelled:", b.cancelled())
    done, pending = await asyncio.wait([b], timeout=0)
    print("timeout 0:", names(done), names(pending))
    print("b:", await b)

    c = loop.create_task(work("c", 0.3), name="c")
    waiter = loop.create_task(asyncio.wait([c]))
    await asyncio.sleep(0.1)
    waiter.cancel()
    try:
        await waiter
    except asyncio.CancelledError:
        print("waiter cancelled:", waiter.cancelled(), "c cancelled:", c.cancelled())
    print("c:", await c)

asyncio.run(main())

# Barrier.abort() breaks the barrier: the tasks waiting at it and every later wait() raise
# BrokenBarrierError; reset() makes it usable again. A task cancelled while it waits leaves the
# count consistent, so the next round still needs all parties.
import asyncio

async def party(barrier, name):
    try:
        index = await barrier.wait()
        print(name, "passed with index", index)
    except asyncio.BrokenBarrierError as e:
        print(name, "got", type(e).__name__)
    except asyncio.CancelledError:
        print(name, "cancelled while waiting; n_waiting:", barrier.n_waiting)
        raise

async def main():
    loop = asyncio.get_running_loop()
    barrier = asyncio.Barrier(3)
    a = loop.create_task(party(barrier, "a"))
    b = loop.create_task(party(barrier, "b"))
    await asyncio.sleep(0)
    print("n_waiting:", barrier.n_waiting)
    b.cancel()
    try:
        await b
    except asyncio.CancelledError:
        print("b was cancelled; n_waiting:", barrier.n_waiting)
    print("abort")
    await barrier.abort()
    print("broken:", barrier.broken, "n_waiting:", barrier.n_waiting)
    await a
    late = loop.create_task(party(barrier, "late"))
    await late
    await barrier.reset()
    print("after reset: broken:", barrier.broken, "n_waiting:", barrier.n_waiting)
    tasks = [loop.create_task(party(barrier, n)) for n in ["x", "y", "z"]]
    for t in tasks:
        await t
    print("broken at the end:", barrier.broken)

asyncio.run(main())

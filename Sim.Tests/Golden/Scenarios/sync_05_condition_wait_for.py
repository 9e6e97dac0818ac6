# Condition.wait_for(predicate) checks the predicate first (no wait if it already holds), then
# after every wake-up with the lock held, and returns its final value; waiters whose predicate
# is still false go back to waiting. wait() and notify() without the lock raise RuntimeError.
import asyncio

async def consumer(cond, state, name, need):
    async with cond:
        print(name, "waits for", need, "items")
        result = await cond.wait_for(lambda: state["items"] >= need)
        print(name, "sees", state["items"], "items; wait_for returned", result)

async def main():
    loop = asyncio.get_running_loop()
    cond = asyncio.Condition()
    state = {"items": 0}
    try:
        await cond.wait()
    except RuntimeError as e:
        print("wait without the lock:", type(e).__name__)
    try:
        cond.notify()
    except RuntimeError as e:
        print("notify without the lock:", type(e).__name__)
    async with cond:
        print("already true:", await cond.wait_for(lambda: state["items"] == 0))
    tasks = [loop.create_task(consumer(cond, state, n, k)) for n, k in [("c3", 3), ("c1", 1), ("c2", 2)]]
    await asyncio.sleep(0)
    for _ in range(3):
        async with cond:
            state["items"] += 1
            print("items:", state["items"], "notify_all")
            cond.notify_all()
        await asyncio.sleep(0)
        await asyncio.sleep(0)
    for t in tasks:
        await t
    print("done")

asyncio.run(main())

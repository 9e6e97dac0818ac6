# Condition: notify(n) wakes the n longest waiting tasks, notify_all() the rest, in the order
# they started waiting; each returns from wait() only once it holds the lock again, so they run
# one at a time, in that order, after the notifier releases the lock.
import asyncio

async def waiter(cond, name, log):
    async with cond:
        print(name, "waits")
        result = await cond.wait()
        print(name, "woke holding the lock:", cond.locked(), "wait returned", result)
        log.append(name)
        await asyncio.sleep(0)
        print(name, "leaves")

async def main():
    loop = asyncio.get_running_loop()
    cond = asyncio.Condition()
    log = []
    tasks = [loop.create_task(waiter(cond, n, log)) for n in ["w1", "w2", "w3", "w4", "w5"]]
    await asyncio.sleep(0)
    async with cond:
        print("notify(2)")
        cond.notify(2)
        await asyncio.sleep(0)
        print("notifier still holds the lock; woken so far:", log)
    await asyncio.sleep(0)
    await asyncio.sleep(0)
    await asyncio.sleep(0)
    print("after release:", log)
    async with cond:
        print("notify_all")
        cond.notify_all()
    for t in tasks:
        await t
    print("order:", log)
    async with cond:
        cond.notify()
        print("notify with no waiter is fine")

asyncio.run(main())

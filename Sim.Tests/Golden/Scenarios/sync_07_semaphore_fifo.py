# A Semaphore(2) lets two tasks in at a time; the others wait and get in in arrival order as
# units are released. locked() is true while no unit is free or someone waits; a task cannot
# take a released unit ahead of a waiter. A negative initial value raises ValueError.
import asyncio

async def worker(sem, name, log):
    print(name, "arrives; locked:", sem.locked())
    async with sem:
        log.append(name)
        print(name, "in; running:", log)
        await asyncio.sleep(0.1)
        log.remove(name)
        print(name, "out")

async def main():
    loop = asyncio.get_running_loop()
    try:
        asyncio.Semaphore(-1)
    except ValueError as e:
        print("Semaphore(-1):", type(e).__name__)
    sem = asyncio.Semaphore(2)
    print("locked:", sem.locked())
    log = []
    tasks = [loop.create_task(worker(sem, n, log)) for n in ["a", "b", "c", "d", "e"]]
    await asyncio.sleep(0.05)
    print("at 0.05: locked:", sem.locked())
    await asyncio.sleep(0.1)
    print("at 0.15: running:", log)
    for t in tasks:
        await t
    print("locked at the end:", sem.locked())
    print("acquire twice:", await sem.acquire(), await sem.acquire(), "locked:", sem.locked())
    sem.release()
    sem.release()
    sem.release()
    print("an unbounded semaphore can be released above its initial value; locked:", sem.locked())

asyncio.run(main())

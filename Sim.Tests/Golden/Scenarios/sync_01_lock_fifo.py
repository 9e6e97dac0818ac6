# A Lock is taken by waiters in the order they arrived; release() wakes only the first, which
# takes the lock on its next step. Releasing an unlocked lock raises RuntimeError, and the lock
# is not reentrant: a task never jumps the line, not even the one that just released it.
import asyncio

async def worker(lock, name, log):
    print(name, "wants the lock; locked:", lock.locked())
    async with lock:
        print(name, "holds the lock")
        log.append(name)
        await asyncio.sleep(0)
        print(name, "releases")
    print(name, "done")

async def main():
    lock = asyncio.Lock()
    print("fresh lock locked:", lock.locked())
    try:
        lock.release()
    except RuntimeError as e:
        print("release unlocked:", type(e).__name__)
    print("acquire:", await lock.acquire(), "locked:", lock.locked())
    log = []
    tasks = [asyncio.get_running_loop().create_task(worker(lock, n, log)) for n in ["a", "b", "c"]]
    await asyncio.sleep(0)
    print("main releases")
    lock.release()
    print("locked right after release:", lock.locked())
    # main asks again at once: the three waiters came first.
    await lock.acquire()
    print("main has the lock again after", log)
    lock.release()
    for t in tasks:
        await t
    print("order:", log, "locked:", lock.locked())

asyncio.run(main())

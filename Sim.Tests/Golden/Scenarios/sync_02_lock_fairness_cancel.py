# Lock fairness under cancellation: a waiter cancelled while it waits is skipped; a waiter
# cancelled after release() woke it passes the turn to the next one; while a woken waiter is on
# its way, a newcomer cannot take the free lock (it queues behind).
import asyncio

async def worker(lock, name, log):
    try:
        await lock.acquire()
    except asyncio.CancelledError:
        print(name, "cancelled while waiting; locked:", lock.locked())
        raise
    try:
        print(name, "holds the lock")
        log.append(name)
        await asyncio.sleep(0)
    finally:
        lock.release()

async def main():
    loop = asyncio.get_running_loop()
    lock = asyncio.Lock()
    log = []
    await lock.acquire()
    tasks = {n: loop.create_task(worker(lock, n, log)) for n in ["w1", "w2", "w3", "w4"]}
    await asyncio.sleep(0)
    print("cancel w2 while it waits")
    tasks["w2"].cancel()
    await asyncio.sleep(0)
    print("release: wakes w1")
    lock.release()
    print("locked:", lock.locked())
    print("cancel w1 after it was woken")
    tasks["w1"].cancel()
    late = loop.create_task(worker(lock, "late", log))
    await asyncio.sleep(0)
    print("after one iteration: locked:", lock.locked(), "log:", log)
    for name, t in list(tasks.items()) + [("late", late)]:
        try:
            await t
            print(name, "finished")
        except asyncio.CancelledError:
            print(name, "was cancelled")
    print("order:", log, "locked:", lock.locked())

asyncio.run(main())

# Semaphore under cancellation: a waiter cancelled while it waits is skipped; a waiter cancelled
# after release() handed it a unit gives the unit back to the next waiter, so no unit is lost.
import asyncio

async def worker(sem, name):
    try:
        await sem.acquire()
    except asyncio.CancelledError:
        print(name, "cancelled while waiting; locked:", sem.locked())
        raise
    print(name, "acquired")
    await asyncio.sleep(0)
    sem.release()
    print(name, "released")

async def main():
    loop = asyncio.get_running_loop()
    sem = asyncio.Semaphore(0)
    tasks = {n: loop.create_task(worker(sem, n)) for n in ["w1", "w2", "w3", "w4"]}
    await asyncio.sleep(0)
    tasks["w2"].cancel()
    print("release one unit: goes to w1")
    sem.release()
    tasks["w1"].cancel()
    print("w1 cancelled after being woken")
    for name, t in tasks.items():
        try:
            await t
            print(name, "finished")
        except asyncio.CancelledError:
            print(name, "was cancelled")
    print("locked:", sem.locked())
    print("one unit left:", await sem.acquire(), "locked:", sem.locked())

asyncio.run(main())

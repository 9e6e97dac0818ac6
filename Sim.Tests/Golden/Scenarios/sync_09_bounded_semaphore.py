# BoundedSemaphore raises ValueError when a release would push its value above the initial
# value, and the failed release changes nothing; within the bound it behaves as a Semaphore.
import asyncio

async def main():
    sem = asyncio.BoundedSemaphore(2)
    try:
        sem.release()
    except ValueError as e:
        print("release at the bound:", type(e).__name__)
    print("locked:", sem.locked())
    await sem.acquire()
    await sem.acquire()
    print("both units taken; locked:", sem.locked())
    sem.release()
    print("one back; locked:", sem.locked())
    sem.release()
    try:
        sem.release()
    except ValueError as e:
        print("third release:", type(e).__name__)
    print("still two units:", await sem.acquire(), await sem.acquire(), "locked:", sem.locked())
    try:
        asyncio.BoundedSemaphore(-1)
    except ValueError as e:
        print("BoundedSemaphore(-1):", type(e).__name__)
    zero = asyncio.BoundedSemaphore(0)
    try:
        zero.release()
    except ValueError as e:
        print("BoundedSemaphore(0).release():", type(e).__name__)

asyncio.run(main())

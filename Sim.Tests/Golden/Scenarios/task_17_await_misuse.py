# Misuse raises RuntimeError inside the coroutine: awaiting a coroutine object a second
# time, and a task awaiting itself (raised at that await, in the next step).
import asyncio

async def work():
    return "work done"

async def selfish():
    await asyncio.sleep(0)
    try:
        await me_task
    except RuntimeError as e:
        print("awaiting itself:", type(e).__name__, str(e).startswith("Task cannot await on itself"))
    return "recovered"

async def main():
    global me_task
    coro = work()
    print("first await:", await coro)
    try:
        await coro
    except RuntimeError as e:
        print("second await:", type(e).__name__, str(e).startswith("cannot reuse already awaited coroutine"))
    me_task = asyncio.get_running_loop().create_task(selfish())
    print("selfish returned:", await me_task)

asyncio.run(main())

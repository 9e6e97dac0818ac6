# Cancelling the task that runs wait_for cancels the inner work too, waits for its cleanup, and
# raises CancelledError, not TimeoutError; it works the same for a coroutine and for a task.
import asyncio

async def inner(name):
    try:
        await asyncio.sleep(10)
    except asyncio.CancelledError:
        print(name, "inner cancelled")
        await asyncio.sleep(0.1)
        print(name, "inner cleaned up")
        raise

async def runner(name, aw):
    try:
        await asyncio.wait_for(aw, timeout=1)
    except asyncio.CancelledError:
        print(name, "runner sees CancelledError")
        raise
    except TimeoutError:
        print(name, "runner sees TimeoutError")

async def main():
    loop = asyncio.get_running_loop()
    for name in ("coroutine", "task"):
        aw = inner(name) if name == "coroutine" else loop.create_task(inner(name))
        t = loop.create_task(runner(name, aw))
        await asyncio.sleep(0.5)
        t.cancel()
        try:
            await t
        except asyncio.CancelledError:
            print(name, "runner cancelled:", t.cancelled(), "cancelling:", t.cancelling())
        if name == "task":
            print("inner task cancelled:", aw.cancelled())

asyncio.run(main())

# Two cancel() calls with different messages while the task waits on one future: the first
# cancels that future, the second only marks the task; the coroutine sees one CancelledError,
# the future's, with the first message.
import asyncio

async def worker(fut):
    try:
        await fut
    except asyncio.CancelledError as e:
        print("worker sees:", e.args[0] if e.args else None)
    try:
        await asyncio.sleep(0)
        print("the next await is not cancelled")
    except asyncio.CancelledError as e:
        print("cancelled again:", e.args[0] if e.args else None)
    return "worker done"

async def main():
    loop = asyncio.get_running_loop()
    fut = loop.create_future()
    t = loop.create_task(worker(fut))
    await asyncio.sleep(0)
    print("cancel 1:", t.cancel("first"), "future cancelled:", fut.cancelled())
    print("cancel 2:", t.cancel("second"), "cancelling:", t.cancelling())
    print("result:", await t)

asyncio.run(main())

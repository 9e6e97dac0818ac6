# Cancelling a task waiting on a plain future cancels that future; a cancel after the future
# finished (wake-up scheduled, step not yet run) still raises CancelledError at the await.
import asyncio

async def waiter(fut, name):
    try:
        value = await fut
        print(name, "got", value)
    except asyncio.CancelledError:
        print(name, "cancelled at the await")
        raise

async def main():
    loop = asyncio.get_running_loop()
    fut = loop.create_future()
    t = loop.create_task(waiter(fut, "t1"))
    await asyncio.sleep(0)
    t.cancel()
    print("future cancelled by the task's cancel:", fut.cancelled())
    try:
        await t
    except asyncio.CancelledError:
        print("t1 cancelled:", t.cancelled())

    fut2 = loop.create_future()
    t2 = loop.create_task(waiter(fut2, "t2"))
    await asyncio.sleep(0)
    fut2.set_result("value")
    print("cancel after the result was set:", t2.cancel())
    print("future kept its result:", fut2.result())
    try:
        await t2
    except asyncio.CancelledError:
        print("t2 cancelled:", t2.cancelled())

asyncio.run(main())

# A CancelledError raised by the coroutine itself (no cancel() call) ends the task cancelled,
# with cancelling() still 0; a future finished with set_exception(CancelledError) is not
# cancelled, but awaiting it raises CancelledError.
import asyncio

async def gives_up():
    await asyncio.sleep(0)
    raise asyncio.CancelledError("manual")

async def awaits(fut):
    await fut

async def main():
    loop = asyncio.get_running_loop()
    t = loop.create_task(gives_up())
    try:
        await t
    except asyncio.CancelledError as e:
        print("awaiter got:", e.args[0] if e.args else None)
    print("cancelled:", t.cancelled(), "cancelling:", t.cancelling())

    fut = loop.create_future()
    fut.set_exception(asyncio.CancelledError("as exception"))
    print("future cancelled:", fut.cancelled(), "done:", fut.done())
    print("future exception():", type(fut.exception()).__name__)
    t2 = loop.create_task(awaits(fut))
    try:
        await t2
    except asyncio.CancelledError:
        print("t2 cancelled:", t2.cancelled())

asyncio.run(main())

# shield: cancelling the task that awaits a shielded task raises CancelledError in that task
# while the inner task carries on to its result; cancelling the shield future alone leaves the
# inner task running too; cancelling the inner task cancels the shield; a finished inner task
# is returned as is.
import asyncio

async def work(name, delay):
    try:
        await asyncio.sleep(delay)
    except asyncio.CancelledError:
        print(name, "cancelled")
        raise
    print(name, "finished")
    return name

async def guarded(inner):
    try:
        return await asyncio.shield(inner)
    except asyncio.CancelledError:
        print("guarded sees CancelledError; inner done:", inner.done())
        raise

async def main():
    loop = asyncio.get_running_loop()
    inner = loop.create_task(work("inner", 0.3))
    outer = loop.create_task(guarded(inner))
    await asyncio.sleep(0.1)
    outer.cancel()
    try:
        await outer
    except asyncio.CancelledError:
        print("outer cancelled:", outer.cancelled())
    print("inner result:", await inner)

    inner2 = loop.create_task(work("inner2", 0.2))
    s = asyncio.shield(inner2)
    print("shield is a new future:", s is not inner2)
    print("cancel the shield:", s.cancel())
    print("inner2 result:", await inner2, "shield cancelled:", s.cancelled())

    inner3 = loop.create_task(work("inner3", 0.2))
    s3 = asyncio.shield(inner3)
    await asyncio.sleep(0)
    inner3.cancel()
    try:
        await s3
    except asyncio.CancelledError:
        print("shield of a cancelled inner is cancelled:", s3.cancelled())

    print("finished inner returned as is:", asyncio.shield(inner) is inner)
    print("coroutine result:", await asyncio.shield(work("coro", 0.1)))

asyncio.run(main())

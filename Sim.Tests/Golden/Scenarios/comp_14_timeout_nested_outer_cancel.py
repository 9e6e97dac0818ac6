# Nested timeout scopes: only the scope whose deadline expired turns the cancellation into
# TimeoutError; an outer cancellation of the task is never swallowed, not even when it arrives
# in the same iteration as a deadline; a body that swallows its own cancellation and calls
# uncancel() leaves the scope normally.
import asyncio

async def nested(label):
    async with asyncio.timeout(1) as outer:
        try:
            async with asyncio.timeout(0.1) as inner:
                await asyncio.sleep(10)
        except TimeoutError:
            print(label, "inner TimeoutError caught; inner expired", inner.expired(), "outer expired", outer.expired())
        await asyncio.sleep(10)

async def cancelled_inside(label, deadline):
    try:
        async with asyncio.timeout(5):
            async with asyncio.timeout(deadline) as inner:
                await asyncio.sleep(10)
    except TimeoutError:
        print(label, "TimeoutError (wrong)")
    except asyncio.CancelledError as e:
        print(label, "CancelledError propagates:", e.args, "inner expired:", inner.expired())
        raise

async def main():
    loop = asyncio.get_running_loop()
    try:
        await nested("nested:")
    except TimeoutError:
        print("nested: outer TimeoutError; cancelling:", asyncio.current_task().cancelling())

    t = loop.create_task(cancelled_inside("outer cancel:", 2))
    await asyncio.sleep(0.5)
    t.cancel("stop")
    try:
        await t
    except asyncio.CancelledError:
        print("outer cancel: task cancelled", t.cancelled())

    t = loop.create_task(cancelled_inside("same iteration:", 0.5))
    await asyncio.sleep(0)
    loop.call_later(0.5, t.cancel, "stop too")
    try:
        await t
    except asyncio.CancelledError:
        print("same iteration: task cancelled", t.cancelled())

    async with asyncio.timeout(0.1) as scope:
        try:
            await asyncio.sleep(1)
        except asyncio.CancelledError:
            print("swallowed; uncancel ->", asyncio.current_task().uncancel())
    print("swallowed: expired", scope.expired(), "and no TimeoutError")

asyncio.run(main())

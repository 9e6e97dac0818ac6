# A TaskGroup inside a timeout scope: the deadline cancels the body, the group cancels its
# children and, having no errors, lets the CancelledError through, which the scope turns into
# TimeoutError; the task's cancel count is back to 0. A child failing inside the scope makes the
# group raise ExceptionGroup, which the scope lets through unchanged.
import asyncio

class Boom(Exception):
    pass

async def sleeper(name, log):
    try:
        await asyncio.sleep(10)
    except asyncio.CancelledError:
        log.append(name + " cancelled")
        raise

async def fail_soon():
    await asyncio.sleep(0.1)
    raise Boom("child")

async def main():
    log = []
    try:
        async with asyncio.timeout(0.5) as scope:
            async with asyncio.TaskGroup() as tg:
                tg.create_task(sleeper("a", log))
                tg.create_task(sleeper("b", log))
                await asyncio.sleep(10)
    except TimeoutError:
        print("TimeoutError; expired:", scope.expired(), "children:", sorted(log))
    print("cancelling:", asyncio.current_task().cancelling())

    try:
        async with asyncio.timeout(1) as scope:
            async with asyncio.TaskGroup() as tg:
                tg.create_task(fail_soon())
                await asyncio.sleep(10)
    except ExceptionGroup as eg:
        print("ExceptionGroup:", [str(e) for e in eg.exceptions], "expired:", scope.expired())
    print("cancelling:", asyncio.current_task().cancelling())

asyncio.run(main())

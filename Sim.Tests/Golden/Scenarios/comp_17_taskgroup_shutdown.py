# TaskGroup shutdown: once a child has failed the group refuses new tasks, also from children
# being cancelled; a body that raises cancels the children and its error joins the
# ExceptionGroup; a parent cancelled from outside with no failures ends with CancelledError.
import asyncio

class Boom(Exception):
    pass

async def fail_soon(name, delay):
    await asyncio.sleep(delay)
    raise Boom(name)

async def spawn_when_cancelled(tg, log):
    try:
        await asyncio.sleep(10)
    except asyncio.CancelledError:
        coro = asyncio.sleep(0)
        try:
            tg.create_task(coro)
        except RuntimeError as e:
            log.append("create_task while shutting down: " + type(e).__name__)
        coro.close()
        raise

async def sleeper(name, log):
    try:
        await asyncio.sleep(10)
    except asyncio.CancelledError:
        log.append(name + " cancelled")
        raise

async def body_raises(log):
    async with asyncio.TaskGroup() as tg:
        tg.create_task(sleeper("child", log))
        await asyncio.sleep(0.1)
        raise Boom("body")

async def cancelled_parent(log):
    async with asyncio.TaskGroup() as tg:
        tg.create_task(sleeper("p1", log))
        tg.create_task(sleeper("p2", log))
        await asyncio.sleep(10)

async def main():
    loop = asyncio.get_running_loop()
    log = []
    try:
        async with asyncio.TaskGroup() as tg:
            tg.create_task(fail_soon("first", 0.1))
            tg.create_task(spawn_when_cancelled(tg, log))
    except ExceptionGroup as eg:
        print("group failed:", [str(e) for e in eg.exceptions])
    print(log)

    log = []
    try:
        await body_raises(log)
    except ExceptionGroup as eg:
        print("body raised:", [type(e).__name__ + " " + str(e) for e in eg.exceptions], log)

    log = []
    t = loop.create_task(cancelled_parent(log))
    await asyncio.sleep(0.1)
    t.cancel("shutdown")
    try:
        await t
    except asyncio.CancelledError as e:
        print("cancelled parent:", e.args, t.cancelled(), sorted(log))

asyncio.run(main())

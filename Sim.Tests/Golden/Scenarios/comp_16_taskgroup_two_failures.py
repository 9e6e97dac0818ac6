# TaskGroup: the first failing child cancels its siblings and the body; a sibling that fails
# while being cancelled adds its error too; the group raises ExceptionGroup with both errors
# once every child has finished, and the parent is uncancelled (it carries on).
# Then the parent is cancelled from outside while two children fail during their cleanup:
# the errors win over the cancellation (ExceptionGroup, not CancelledError), and the parent's
# cancellation request stays counted.
import asyncio

class Boom(Exception):
    pass

async def fail_soon(name, delay):
    await asyncio.sleep(delay)
    raise Boom(name)

async def fail_when_cancelled(name, log):
    try:
        await asyncio.sleep(10)
    except asyncio.CancelledError:
        log.append(name + " cancelled")
        raise Boom(name)

async def quiet(name, log):
    try:
        await asyncio.sleep(10)
    except asyncio.CancelledError:
        log.append(name + " cancelled")
        raise

async def first_part():
    log = []
    try:
        async with asyncio.TaskGroup() as tg:
            tg.create_task(fail_soon("a", 0.1))
            tg.create_task(fail_when_cancelled("b", log))
            tg.create_task(quiet("c", log))
            try:
                await asyncio.sleep(10)
            except asyncio.CancelledError:
                print("body cancelled")
                raise
    except* Boom as eg:
        print("ExceptionGroup:", eg.message, sorted(str(e) for e in eg.exceptions))
    print("children:", sorted(log))
    print("parent carries on; cancelling:", asyncio.current_task().cancelling())

async def parent(log):
    async with asyncio.TaskGroup() as tg:
        tg.create_task(fail_when_cancelled("x", log))
        tg.create_task(fail_when_cancelled("y", log))
        tg.create_task(quiet("z", log))
        await asyncio.sleep(10)

async def main():
    loop = asyncio.get_running_loop()
    await first_part()
    log = []
    p = loop.create_task(parent(log))
    await asyncio.sleep(0.1)
    p.cancel()
    try:
        await p
    except BaseExceptionGroup as eg:
        print("parent raised", type(eg).__name__, str(eg), sorted(str(e) for e in eg.exceptions))
    print("children:", sorted(log))
    print("parent cancelled:", p.cancelled(), "cancelling:", p.cancelling())

asyncio.run(main())

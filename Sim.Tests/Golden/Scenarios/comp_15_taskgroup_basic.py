# TaskGroup: the exit waits for every child, children may add siblings while the group runs,
# results are read from the tasks; a finished group refuses new tasks.
import asyncio

async def work(name, delay, log):
    await asyncio.sleep(delay)
    log.append(name)
    return name.upper()

async def spawner(tg, log):
    await asyncio.sleep(0.1)
    log.append("spawner")
    tg.create_task(work("late sibling", 0.3, log), name="late")
    return "SPAWNER"

async def main():
    log = []
    async with asyncio.TaskGroup() as tg:
        a = tg.create_task(work("a", 0.2, log), name="first")
        b = tg.create_task(spawner(tg, log))
        print("body done; a done:", a.done(), "name:", a.get_name())
    print("after the group:", log)
    print("results:", a.result(), b.result())
    too_late = work("too late", 0, log)
    try:
        tg.create_task(too_late)
    except RuntimeError as e:
        print("create_task after exit:", type(e).__name__)
    too_late.close()

    async with asyncio.TaskGroup() as empty:
        pass
    print("empty group exits at once")

asyncio.run(main())

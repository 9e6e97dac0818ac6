# as_completed yields awaitables that give results in completion order (a failure is raised by
# its own await); with a timeout, the awaits left when it expires raise TimeoutError and the
# unfinished work is not cancelled.
import asyncio

class Boom(Exception):
    pass

async def work(name, delay, fail=False):
    await asyncio.sleep(delay)
    if fail:
        raise Boom(name)
    return name

async def main():
    loop = asyncio.get_running_loop()
    tasks = [loop.create_task(work("slow", 0.3)), loop.create_task(work("fast", 0.1)),
             loop.create_task(work("bad", 0.2, fail=True))]
    for next_done in asyncio.as_completed(tasks):
        try:
            print("completed:", await next_done)
        except Boom as e:
            print("failed:", type(e).__name__, e)

    tasks = [loop.create_task(work("in time", 0.1)), loop.create_task(work("late", 1))]
    for next_done in asyncio.as_completed(tasks, timeout=0.5):
        try:
            print("completed:", await next_done)
        except TimeoutError as e:
            print("raised", type(e).__name__)
    print("late cancelled:", tasks[1].cancelled())
    print("late result:", await tasks[1])
    print("nothing to wait for:", list(asyncio.as_completed([])))

asyncio.run(main())

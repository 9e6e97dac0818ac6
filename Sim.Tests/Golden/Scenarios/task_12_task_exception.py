# A task whose coroutine raises finishes with that exception: await raises it, exception()
# returns it, cancel() then returns False.
import asyncio

class Boom(Exception):
    pass

async def failing():
    await asyncio.sleep(0)
    raise Boom("task failed")

async def main():
    loop = asyncio.get_running_loop()
    t = loop.create_task(failing())
    t.add_done_callback(lambda f: print("done callback: exception", type(f.exception()).__name__))
    try:
        await t
    except Boom as e:
        print("await raised", type(e).__name__, e)
    print("done:", t.done(), "cancelled:", t.cancelled())
    print("exception():", type(t.exception()).__name__, t.exception())
    print("cancel() on failed task:", t.cancel())
    try:
        t.result()
    except Boom as e:
        print("result() raised", type(e).__name__)
    await asyncio.sleep(0)

asyncio.run(main())

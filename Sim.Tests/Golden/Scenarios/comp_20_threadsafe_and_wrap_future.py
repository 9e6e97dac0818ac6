# run_coroutine_threadsafe submits a coroutine to a loop and returns a thread-safe future;
# wrap_future turns that future into an asyncio future. Results, exceptions and cancellation
# of the submitted coroutine all cross over.
import asyncio

class Boom(Exception):
    pass

async def compute(x):
    await asyncio.sleep(0.1)
    return x * 2

async def explode():
    await asyncio.sleep(0.1)
    raise Boom("in the loop")

async def forever():
    await asyncio.sleep(10)

async def main():
    loop = asyncio.get_running_loop()
    cf = asyncio.run_coroutine_threadsafe(compute(21), loop)
    print("submitted; done:", cf.done())
    print("result:", await asyncio.wrap_future(cf), "thread-safe future done:", cf.done(), cf.result())
    cf = asyncio.run_coroutine_threadsafe(explode(), loop)
    try:
        await asyncio.wrap_future(cf)
    except Boom as e:
        print("raised", type(e).__name__, e)
    cf = asyncio.run_coroutine_threadsafe(forever(), loop)
    await asyncio.sleep(0.1)
    print("cancel the thread-safe future:", cf.cancel())
    await asyncio.sleep(0.1)
    print("tasks left:", len(asyncio.all_tasks()))

asyncio.run(main())

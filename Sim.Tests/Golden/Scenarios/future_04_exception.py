# A future finished with an exception: result() raises it, exception() returns it, and an
# awaiting task gets it raised at the await.
import asyncio

class Boom(Exception):
    pass

async def main():
    loop = asyncio.get_running_loop()
    fut = loop.create_future()
    async def waiter():
        try:
            await fut
        except Boom as e:
            print("waiter caught", type(e).__name__, e)
            return "handled"
    t = loop.create_task(waiter())
    await asyncio.sleep(0)
    fut.set_exception(Boom("bad thing"))
    print("done", fut.done(), "cancelled", fut.cancelled())
    print("exception():", type(fut.exception()).__name__, fut.exception())
    try:
        fut.result()
    except Boom as e:
        print("result() raised", type(e).__name__, e)
    print("waiter returned", await t)

asyncio.run(main())

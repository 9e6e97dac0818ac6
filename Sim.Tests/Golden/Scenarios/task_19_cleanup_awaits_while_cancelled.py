# A cancelled coroutine may await during its cleanup (in except and finally): those awaits
# work normally, then the CancelledError goes on propagating and the task ends cancelled.
import asyncio

async def cleanup(step):
    print("cleanup", step, "starts")
    await asyncio.sleep(0.01)
    print("cleanup", step, "ends")

async def worker():
    try:
        try:
            print("worker waits")
            await asyncio.sleep(1)
        except asyncio.CancelledError:
            print("worker caught; cancelling():", asyncio.current_task().cancelling())
            await cleanup("in except")
            raise
        finally:
            await cleanup("in finally")
    finally:
        print("outer finally, no await")

async def main():
    loop = asyncio.get_running_loop()
    t = loop.create_task(worker())
    await asyncio.sleep(0)
    t.cancel()
    await asyncio.sleep(0)
    print("main: task done yet:", t.done())
    try:
        await t
    except asyncio.CancelledError:
        print("main: cancelled:", t.cancelled())

asyncio.run(main())

# Awaiting an already-finished future or task returns at once, without giving up the loop.
import asyncio

async def value():
    return "task value"

async def main():
    loop = asyncio.get_running_loop()
    t = loop.create_task(value())
    await t
    fut = loop.create_future()
    fut.set_result("future value")
    loop.call_soon(print, "a callback scheduled before the awaits")
    print("awaiting finished future:", await fut)
    print("awaiting finished task:", await t)
    print("awaiting it again:", await t)
    print("no iteration passed yet")
    await asyncio.sleep(0)
    print("after sleep(0)")

asyncio.run(main())

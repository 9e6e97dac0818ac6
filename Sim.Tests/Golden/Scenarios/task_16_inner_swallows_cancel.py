# Cancelling an outer task forwards the cancellation to the inner task it awaits; if the
# inner task swallows it and returns, the outer await returns that value normally (the
# outer task still counts one cancellation request).
import asyncio

async def inner():
    try:
        await asyncio.sleep(1)
    except asyncio.CancelledError:
        print("inner swallows the cancellation")
    return "inner value"

async def outer(loop):
    value = await loop.create_task(inner())
    print("outer got", value, "cancelling:", asyncio.current_task().cancelling())
    await asyncio.sleep(0)
    print("outer keeps running")
    return value.upper()

async def main():
    loop = asyncio.get_running_loop()
    o = loop.create_task(outer(loop))
    await asyncio.sleep(0)
    await asyncio.sleep(0)
    print("cancel outer:", o.cancel())
    print("outer result:", await o, "cancelled:", o.cancelled())

asyncio.run(main())

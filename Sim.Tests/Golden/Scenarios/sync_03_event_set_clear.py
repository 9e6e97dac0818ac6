# An Event wakes the tasks waiting when set() is called, even if clear() follows at once; tasks
# that wait after the clear block until the next set(). A waiter cancelled after set() woke it
# still raises CancelledError; waiting on a set event returns True without yielding.
import asyncio

async def waiter(event, name):
    try:
        result = await event.wait()
    except asyncio.CancelledError:
        print(name, "cancelled; event set:", event.is_set())
        raise
    print(name, "woke with", result, "; event set now:", event.is_set())

async def main():
    loop = asyncio.get_running_loop()
    event = asyncio.Event()
    first = [loop.create_task(waiter(event, n)) for n in ["a", "b", "c"]]
    await asyncio.sleep(0)
    event.set()
    event.clear()
    print("set then clear; is_set:", event.is_set())
    first[1].cancel()
    second = loop.create_task(waiter(event, "d"))
    await asyncio.sleep(0)
    await asyncio.sleep(0)
    print("d still waiting:", not second.done())
    event.set()
    print("wait on set event:", await event.wait())
    for t in first + [second]:
        try:
            await t
        except asyncio.CancelledError:
            print("a waiter was cancelled")
    print("all done; set:", event.is_set())

asyncio.run(main())

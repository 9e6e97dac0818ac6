# An Event wakes every waiter still waiting, in the order they started waiting (a cancelled
# waiter is skipped); waiting on a set event returns at once.
import asyncio

async def waiter(event, name):
    print(name, "waits")
    try:
        await event.wait()
    except asyncio.CancelledError:
        print(name, "cancelled while waiting")
        raise
    print(name, "woke; set:", event.is_set())

async def main():
    loop = asyncio.get_running_loop()
    event = asyncio.Event()
    tasks = [loop.create_task(waiter(event, n)) for n in ["w1", "w2", "w3", "w4"]]
    await asyncio.sleep(0)
    tasks[1].cancel()
    await asyncio.sleep(0)
    print("setting")
    event.set()
    print("set returned")
    for t in tasks:
        try:
            await t
        except asyncio.CancelledError:
            print("main: a waiter was cancelled:", t.cancelled())
    print("wait on a set event:", await event.wait())
    event.clear()
    print("cleared, set:", event.is_set())

asyncio.run(main())

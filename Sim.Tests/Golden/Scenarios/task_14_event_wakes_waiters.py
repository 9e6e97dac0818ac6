# An Event wakes every waiter, in the order they started waiting; waiting on a set event
# returns at once.
import asyncio

async def waiter(event, name):
    print(name, "waits")
    await event.wait()
    print(name, "woke; set:", event.is_set())

async def main():
    loop = asyncio.get_running_loop()
    event = asyncio.Event()
    tasks = [loop.create_task(waiter(event, n)) for n in ["w1", "w2", "w3"]]
    await asyncio.sleep(0)
    print("setting")
    event.set()
    print("set returned")
    for t in tasks:
        await t
    print("wait on a set event:", await event.wait())
    event.clear()
    print("cleared, set:", event.is_set())

asyncio.run(main())

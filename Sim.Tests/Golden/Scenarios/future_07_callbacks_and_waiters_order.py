# A finished task's done-callbacks and the tasks awaiting it are woken in one queue, in the
# order they registered; a callback added by a callback runs one iteration later.
import asyncio

async def target():
    await asyncio.sleep(0.01)
    return "target value"

async def waiter(t, name):
    print(name, "awaits the target")
    print(name, "woke with", await t)

async def main():
    loop = asyncio.get_running_loop()
    t = loop.create_task(target())
    t.add_done_callback(lambda f: print("callback 1 sees", f.result()))
    w1 = loop.create_task(waiter(t, "w1"))
    await asyncio.sleep(0)
    def second(f):
        print("callback 2 adds callback 4")
        f.add_done_callback(lambda f: print("callback 4 (added late)"))
    t.add_done_callback(second)
    w2 = loop.create_task(waiter(t, "w2"))
    await asyncio.sleep(0)
    t.add_done_callback(lambda f: print("callback 3"))
    await w1
    await w2
    await asyncio.sleep(0)
    print("main done")

asyncio.run(main())

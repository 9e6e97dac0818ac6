# current_task() and all_tasks(): default names Task-1, Task-2, ...; a custom name; done
# tasks leave all_tasks(); no current task inside a plain callback.
import asyncio

async def worker(delay):
    await asyncio.sleep(delay)
    return asyncio.current_task().get_name()

def plain_callback():
    print("current task in a callback:", asyncio.current_task())

async def main():
    loop = asyncio.get_running_loop()
    print("main is", asyncio.current_task().get_name())
    a = loop.create_task(worker(0.01))
    b = loop.create_task(worker(0.02), name="custom")
    c = loop.create_task(worker(0.03))
    print("created:", a.get_name(), b.get_name(), c.get_name())
    print("all tasks:", sorted(t.get_name() for t in asyncio.all_tasks()))
    print("a returns its own name:", await a)
    print("all tasks after a:", sorted(t.get_name() for t in asyncio.all_tasks()))
    c.set_name("renamed")
    loop.call_soon(plain_callback)
    print("b:", await b, "c:", await c)
    print("all tasks at the end:", sorted(t.get_name() for t in asyncio.all_tasks()))

asyncio.run(main())

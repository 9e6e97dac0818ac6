# gather returns results in argument order, not completion order. It takes coroutines, tasks
# and futures alike; a future passed twice appears twice; gather() of nothing gives [].
import asyncio

async def work(name, delay):
    await asyncio.sleep(delay)
    print("finished", name)
    return name

async def main():
    loop = asyncio.get_running_loop()
    print("coroutines:", await asyncio.gather(work("slow", 0.3), work("fast", 0.1), work("mid", 0.2)))
    task = loop.create_task(work("task", 0.2))
    fut = loop.create_future()
    loop.call_later(0.1, fut.set_result, "future")
    print("mixed:", await asyncio.gather(task, fut, work("coro", 0.05), fut))
    print("empty:", await asyncio.gather())
    g = asyncio.gather(work("a", 0.1), work("b", 0.1))
    print("gather is a pending future:", g.done())
    print("equal deadlines:", await g)

asyncio.run(main())

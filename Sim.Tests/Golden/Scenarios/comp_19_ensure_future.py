# ensure_future returns a future or task as it is and wraps a coroutine in a new task that
# starts on the next iteration.
import asyncio

async def work(log):
    log.append("work started")
    await asyncio.sleep(0.1)
    return "work result"

async def main():
    loop = asyncio.get_running_loop()
    fut = loop.create_future()
    print("future returned as is:", asyncio.ensure_future(fut) is fut)
    task = loop.create_task(asyncio.sleep(0.1, "task result"))
    print("task returned as is:", asyncio.ensure_future(task) is task)
    log = []
    wrapped = asyncio.ensure_future(work(log))
    print("coroutine wrapped in a task:", isinstance(wrapped, asyncio.Task), "started:", log)
    await asyncio.sleep(0)
    print("after one iteration:", log)
    print(await wrapped, await task)
    fut.set_result("future result")
    print(await asyncio.ensure_future(fut))

asyncio.run(main())

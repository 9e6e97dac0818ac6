# wait_for returns the result in time; on timeout it cancels the inner work, waits until it has
# finished (its cleanup runs first) and raises TimeoutError; timeout=None waits for ever.
import asyncio

async def work(name, delay):
    try:
        await asyncio.sleep(delay)
    except asyncio.CancelledError:
        print(name, "cancelled")
        raise
    finally:
        print(name, "cleanup")
    return name

async def slow_cleanup(name):
    try:
        await asyncio.sleep(10)
    except asyncio.CancelledError:
        print(name, "cancelled; cleaning up slowly")
        await asyncio.sleep(0.5)
        print(name, "cleaned up")
        raise

async def main():
    loop = asyncio.get_running_loop()
    print("in time:", await asyncio.wait_for(work("quick", 0.1), timeout=1))
    try:
        await asyncio.wait_for(work("late", 1), timeout=0.1)
    except TimeoutError as e:
        print("raised", type(e).__name__)
    task = loop.create_task(work("task", 1))
    try:
        await asyncio.wait_for(task, 0.2)
    except TimeoutError:
        print("task cancelled:", task.cancelled())
    try:
        await asyncio.wait_for(slow_cleanup("slow"), 0.1)
    except TimeoutError:
        print("timed out after the cleanup")
    print("none:", await asyncio.wait_for(work("unbounded", 2), None))

asyncio.run(main())

# wait_for races between the inner work and the deadline: work finishing just before the
# deadline wins; work that swallows the cancellation and returns a value makes wait_for return
# that value; work whose cleanup fails raises that error instead of TimeoutError; a done
# future wins even with a timeout of 0.
import asyncio

class CleanupFailed(Exception):
    pass

async def finish_at(delay, value):
    await asyncio.sleep(delay)
    return value

async def stubborn():
    try:
        await asyncio.sleep(10)
    except asyncio.CancelledError:
        print("stubborn swallows the cancellation")
        return "stubborn result"

async def broken_cleanup():
    try:
        await asyncio.sleep(10)
    except asyncio.CancelledError:
        raise CleanupFailed("cleanup failed")

async def main():
    loop = asyncio.get_running_loop()
    print("just before:", await asyncio.wait_for(finish_at(0.099, "early"), 0.1))
    print("swallowed:", await asyncio.wait_for(stubborn(), 0.1))
    try:
        await asyncio.wait_for(broken_cleanup(), 0.1)
    except CleanupFailed as e:
        print("raised", type(e).__name__, e)
    done = loop.create_future()
    done.set_result("already")
    print("done future, timeout 0:", await asyncio.wait_for(done, 0))
    task = loop.create_task(finish_at(0.1, "never"))
    try:
        await asyncio.wait_for(task, 0)
    except TimeoutError:
        print("timeout 0 on a pending task: TimeoutError; task cancelled:", task.cancelled())
    try:
        await asyncio.wait_for(finish_at(0, "never"), -1)
    except TimeoutError:
        print("negative timeout: TimeoutError")

asyncio.run(main())

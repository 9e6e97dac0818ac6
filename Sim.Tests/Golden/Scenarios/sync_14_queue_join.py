# Queue.join() returns once task_done() was called for every item put: workers take items and
# mark them done after their work; join() waits for the last one. Calling task_done() once
# more than items were put raises ValueError; join() on a queue with nothing unfinished
# returns at once.
import asyncio

async def worker(q, name, log):
    while True:
        item = await q.get()
        await asyncio.sleep(item / 10)
        log.append((name, item))
        print(name, "done with", item)
        q.task_done()

async def main():
    loop = asyncio.get_running_loop()
    q = asyncio.Queue()
    await q.join()
    print("join on a fresh queue returns at once")
    log = []
    workers = [loop.create_task(worker(q, n, log)) for n in ["w1", "w2"]]
    for item in [5, 1, 2, 1]:
        q.put_nowait(item)
    print("joining")
    await q.join()
    print("joined after", len(log), "items; qsize:", q.qsize())
    for w in workers:
        w.cancel()
    for w in workers:
        try:
            await w
        except asyncio.CancelledError:
            pass
    q.put_nowait(0)
    q.get_nowait()
    q.task_done()
    try:
        q.task_done()
    except ValueError:
        print("task_done too many times raises")

asyncio.run(main())

# Eight tasks contend for a Lock, three rounds each, yielding while they hold it: the lock is
# handed out strictly in arrival order, the read-modify-write of the counter is never torn, and
# tasks cancelled while waiting or while holding it (released in finally) leave it consistent.
import asyncio

async def worker(lock, state, name, order):
    for round_ in range(3):
        try:
            async with lock:
                order.append(name)
                value = state["counter"]
                await asyncio.sleep(0)
                state["counter"] = value + 1
        except asyncio.CancelledError:
            print(name, "cancelled in round", round_, "; locked:", lock.locked())
            raise
        await asyncio.sleep(0)

async def main():
    loop = asyncio.get_running_loop()
    lock = asyncio.Lock()
    state = {"counter": 0}
    order = []
    names = ["t%d" % i for i in range(8)]
    tasks = {n: loop.create_task(worker(lock, state, n, order)) for n in names}
    for _ in range(5):
        await asyncio.sleep(0)
    print("after 5 iterations:", order)
    holder = order[-1]
    waiting = "t7" if holder != "t7" else "t6"
    print("cancel the holder and one waiter")
    tasks[holder].cancel()
    tasks[waiting].cancel()
    finished = 0
    for name, t in tasks.items():
        try:
            await t
            finished += 1
        except asyncio.CancelledError:
            pass
    print("order:", " ".join(order))
    print("finished:", finished, "counter:", state["counter"], "acquisitions:", len(order), "locked:", lock.locked())

asyncio.run(main())

# Cancelling the task that awaits gather cancels every child still running (finished ones
# keep their results); the awaiting task sees CancelledError with the message. Cancelling the
# gather future itself does the same; it then ends with a CancelledError but is not
# "cancelled" (it was never cancelled directly: its children were).
import asyncio

async def child(name, delay):
    try:
        await asyncio.sleep(delay)
    except asyncio.CancelledError as e:
        print("child", name, "cancelled:", e.args)
        raise
    print("child", name, "finished")
    return name

async def waiter(children):
    try:
        return await asyncio.gather(*children)
    except asyncio.CancelledError as e:
        print("waiter sees CancelledError:", e.args)
        raise

async def main():
    loop = asyncio.get_running_loop()
    children = [loop.create_task(child(n, d)) for n, d in (("a", 0.1), ("b", 1), ("c", 2))]
    w = loop.create_task(waiter(children))
    await asyncio.sleep(0.5)
    print("cancel waiter:", w.cancel("outside"))
    try:
        await w
    except asyncio.CancelledError:
        print("waiter cancelled:", w.cancelled())
    print("children:", [(t.done(), t.cancelled()) for t in children])

    g = asyncio.gather(child("x", 1), child("y", 1))
    await asyncio.sleep(0)
    print("cancel gather:", g.cancel("stop"))
    print("cancel again:", g.cancel("again"))
    try:
        await g
    except asyncio.CancelledError as e:
        print("await gather raised CancelledError:", e.args)
    print("gather done:", g.done(), "cancelled:", g.cancelled())
    print("cancel when done:", g.cancel())

asyncio.run(main())

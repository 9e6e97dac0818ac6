# cancel(msg) on a future: the message travels with the CancelledError to result() and to an
# awaiting task; done-callbacks see the future cancelled.
import asyncio

async def main():
    loop = asyncio.get_running_loop()
    fut = loop.create_future()
    fut.add_done_callback(lambda f: print("callback: cancelled", f.cancelled()))
    async def waiter():
        try:
            await fut
        except asyncio.CancelledError as e:
            print("waiter got CancelledError:", e.args[0] if e.args else None)
            return "waiter survived"
    t = loop.create_task(waiter())
    await asyncio.sleep(0)
    print("cancel:", fut.cancel("no longer needed"))
    print("waiter:", await t)
    print("task cancelled:", t.cancelled())
    plain = loop.create_future()
    plain.cancel()
    try:
        plain.result()
    except asyncio.CancelledError as e:
        print("no message:", e.args[0] if e.args else None)

asyncio.run(main())

# Cancelling a task raises CancelledError at the await where it is suspended, with the message.
import asyncio

async def worker():
    try:
        print("worker waiting")
        await asyncio.sleep(10)
    except asyncio.CancelledError as e:
        print("worker cancelled:", e.args[0] if e.args else None)
        raise
    finally:
        print("worker finally")

async def main():
    t = asyncio.get_running_loop().create_task(worker())
    await asyncio.sleep(0)
    print("cancel returns", t.cancel("stop now"))
    print("cancelled right after cancel()?", t.cancelled())
    try:
        await t
    except asyncio.CancelledError:
        print("main saw CancelledError")
    print("task cancelled?", t.cancelled(), "cancelling:", t.cancelling())

asyncio.run(main())

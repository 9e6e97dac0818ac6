# The cancel message reaches the innermost coroutine suspended in the task, passes through
# every finally on the way out, and reaches whoever awaits the task.
import asyncio

async def inner():
    try:
        await asyncio.sleep(1)
    finally:
        print("inner finally")

async def middle():
    try:
        await inner()
    except asyncio.CancelledError as e:
        print("middle sees:", e.args[0] if e.args else None)
        raise

async def main():
    t = asyncio.get_running_loop().create_task(middle())
    await asyncio.sleep(0)
    t.cancel("shutting down")
    try:
        await t
    except asyncio.CancelledError as e:
        print("main sees:", e.args[0] if e.args else None)
    print("cancelled:", t.cancelled())

asyncio.run(main())

# Cancelling a task that awaits another task cancels the inner task too; the outer one
# resumes only after the inner one has finished unwinding.
import asyncio

async def inner():
    try:
        print("inner waiting")
        await asyncio.sleep(1)
    except asyncio.CancelledError as e:
        print("inner cancelled:", e.args[0] if e.args else None)
        raise
    finally:
        print("inner finally")

async def outer(loop):
    global inner_task
    inner_task = loop.create_task(inner())
    try:
        await inner_task
    except asyncio.CancelledError:
        print("outer cancelled; inner done:", inner_task.done(), "inner cancelled:", inner_task.cancelled())
        raise

async def main():
    loop = asyncio.get_running_loop()
    o = loop.create_task(outer(loop))
    await asyncio.sleep(0)
    await asyncio.sleep(0)
    print("cancel outer:", o.cancel("from main"))
    print("inner cancelled yet:", inner_task.cancelled(), "inner cancelling:", inner_task.cancelling())
    try:
        await o
    except asyncio.CancelledError:
        print("main: outer cancelled:", o.cancelled())
    print("outer cancelling:", o.cancelling(), "inner cancelling:", inner_task.cancelling())

asyncio.run(main())

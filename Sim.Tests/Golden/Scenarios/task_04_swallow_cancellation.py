# A task that catches CancelledError keeps running and can return a value; cancelling()
# counts the requests and uncancel() withdraws them.
import asyncio

async def stubborn():
    try:
        await asyncio.sleep(1)
    except asyncio.CancelledError:
        task = asyncio.current_task()
        print("caught cancellation, cancelling():", task.cancelling())
        print("uncancel() ->", task.uncancel())
    await asyncio.sleep(0.01)
    print("still running after the swallowed cancellation")
    return "survived"

async def main():
    t = asyncio.get_running_loop().create_task(stubborn())
    await asyncio.sleep(0)
    print("cancel:", t.cancel())
    print("cancelling() right after cancel:", t.cancelling())
    print("result:", await t)
    print("cancelled:", t.cancelled(), "cancelling():", t.cancelling())

asyncio.run(main())

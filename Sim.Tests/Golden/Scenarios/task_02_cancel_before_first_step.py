# A task cancelled before its first step never runs its body; the awaiter gets the message.
import asyncio

async def body():
    print("body must not run")
    await asyncio.sleep(0)
    return "never"

async def main():
    loop = asyncio.get_running_loop()
    t = loop.create_task(body())
    print("cancel:", t.cancel("too early"))
    print("done right after cancel:", t.done(), "cancelling:", t.cancelling())
    try:
        await t
    except asyncio.CancelledError as e:
        print("awaiter got CancelledError:", e.args[0] if e.args else None)
    print("cancelled:", t.cancelled(), "done:", t.done())
    print("cancel a cancelled task:", t.cancel())

asyncio.run(main())

# A task that cancels itself keeps running until its next suspension, where CancelledError
# is raised; an await of a finished future on the way does not suspend; a task that cancels
# itself and returns without suspending ends cancelled.
import asyncio

async def self_cancel_then_sleep():
    me = asyncio.current_task()
    print("cancel self:", me.cancel("self"), "cancelling:", me.cancelling())
    done = asyncio.get_running_loop().create_future()
    done.set_result("ready")
    print("await a finished future still works:", await done)
    try:
        await asyncio.sleep(0)
        print("must not get here")
    except asyncio.CancelledError as e:
        print("CancelledError at the sleep:", e.args[0] if e.args else None)
        raise

async def self_cancel_then_return():
    me = asyncio.current_task()
    me.cancel()
    print("cancelled self, returning a value anyway")
    return "ignored"

async def main():
    loop = asyncio.get_running_loop()
    t1 = loop.create_task(self_cancel_then_sleep())
    try:
        await t1
    except asyncio.CancelledError:
        print("t1 cancelled:", t1.cancelled())
    t2 = loop.create_task(self_cancel_then_return())
    try:
        print("t2 result:", await t2)
    except asyncio.CancelledError:
        print("t2 cancelled:", t2.cancelled())

asyncio.run(main())

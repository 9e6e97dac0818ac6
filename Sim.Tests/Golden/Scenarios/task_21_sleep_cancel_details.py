# sleep(delay, result) returns the result; a cancelled sleep's timer never wakes the task
# later; two cancels with different messages during one sleep raise one CancelledError with
# the first message.
import asyncio

async def sleeper(fut):
    print("sleep with a result:", await asyncio.sleep(0.01, "slept"))
    try:
        await asyncio.sleep(0.02)
    except asyncio.CancelledError as e:
        print("sleep cancelled:", e.args[0] if e.args else None)
    print("now waiting on the future (the old sleep was due at +30ms)")
    print("future gave:", await fut)
    return "sleeper done"

async def twice():
    try:
        await asyncio.sleep(1)
    except asyncio.CancelledError as e:
        print("twice sees:", e.args[0] if e.args else None)
    await asyncio.sleep(0)
    print("twice: the next sleep is not cancelled")

async def main():
    loop = asyncio.get_running_loop()
    fut = loop.create_future()
    t = loop.create_task(sleeper(fut))
    await asyncio.sleep(0.015)
    t.cancel("stop sleeping")
    loop.call_later(0.04, fut.set_result, "set at +55ms")
    await asyncio.sleep(0.03)
    print("main at +45ms: sleeper done:", t.done())
    print(await t)

    t2 = loop.create_task(twice())
    await asyncio.sleep(0)
    print("cancel 1:", t2.cancel("first"), "cancel 2:", t2.cancel("second"))
    await t2
    print("t2 cancelling:", t2.cancelling(), "cancelled:", t2.cancelled())

asyncio.run(main())

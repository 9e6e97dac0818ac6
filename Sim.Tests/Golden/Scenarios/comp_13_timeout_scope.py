# asyncio.timeout: a body finishing in time leaves the scope unexpired; an expiring scope
# cancels the body and turns that CancelledError into TimeoutError at its exit; reschedule()
# moves the deadline (later, earlier, None for never); when() tells it; a finished scope
# refuses to be rescheduled.
import asyncio

async def main():
    loop = asyncio.get_running_loop()
    async with asyncio.timeout(1) as t:
        await asyncio.sleep(0.1)
    print("in time: expired", t.expired())

    try:
        async with asyncio.timeout(0.1) as t:
            try:
                await asyncio.sleep(10)
            except asyncio.CancelledError:
                print("body cancelled; expired already:", t.expired())
                raise
    except TimeoutError as e:
        print("raised", type(e).__name__, "expired:", t.expired(), "cancelling:", asyncio.current_task().cancelling())

    start = loop.time()
    async with asyncio.timeout(0.2) as t:
        print("deadline in", round(t.when() - start, 2))
        t.reschedule(loop.time() + 1)
        print("moved to", round(t.when() - start, 2))
        await asyncio.sleep(0.5)
    print("later deadline: expired", t.expired())

    try:
        async with asyncio.timeout(5) as t:
            t.reschedule(loop.time() + 0.1)
            await asyncio.sleep(1)
    except TimeoutError:
        print("earlier deadline: TimeoutError")

    async with asyncio.timeout(0.1) as t:
        t.reschedule(None)
        print("when after reschedule(None):", t.when())
        await asyncio.sleep(0.3)
    print("never: expired", t.expired())

    async with asyncio.timeout(None) as t:
        await asyncio.sleep(0.1)
    print("timeout(None): expired", t.expired())

    try:
        async with asyncio.timeout(1) as t:
            t.reschedule(loop.time() - 1)
            await asyncio.sleep(1)
    except TimeoutError:
        print("deadline in the past: TimeoutError")

    try:
        async with asyncio.timeout_at(loop.time() + 0.1) as t:
            await asyncio.sleep(1)
    except TimeoutError:
        print("timeout_at: TimeoutError")

    try:
        t.reschedule(loop.time() + 1)
    except RuntimeError as e:
        print("reschedule after exit:", type(e).__name__, e)

asyncio.run(main())

# cancelling() counts every cancel() request until uncancel(); only one CancelledError is
# raised for requests made while the task waits on the same future.
import asyncio

async def worker():
    caught = 0
    for attempt in range(2):
        try:
            await asyncio.sleep(1)
        except asyncio.CancelledError:
            caught += 1
            me = asyncio.current_task()
            print("attempt", attempt, "caught; cancelling():", me.cancelling())
            print("uncancel() ->", me.uncancel())
    return caught

async def main():
    loop = asyncio.get_running_loop()
    t = loop.create_task(worker())
    await asyncio.sleep(0)
    print("first cancel:", t.cancel(), "second cancel:", t.cancel())
    print("cancelling():", t.cancelling())
    await asyncio.sleep(0)
    await asyncio.sleep(0)
    print("after the first catch, cancelling():", t.cancelling())
    print("third cancel:", t.cancel())
    print("caught", await t, "times; cancelling():", t.cancelling(), "cancelled:", t.cancelled())

asyncio.run(main())

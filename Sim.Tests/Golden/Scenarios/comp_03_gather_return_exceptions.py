# return_exceptions=True: a failure, or a CancelledError for a cancelled child, takes the place
# of the result, in argument order, and gather itself succeeds.
import asyncio

class Boom(Exception):
    pass

async def ok(name, delay):
    await asyncio.sleep(delay)
    return name

async def fail(name, delay):
    await asyncio.sleep(delay)
    raise Boom(name)

async def main():
    loop = asyncio.get_running_loop()
    victim = loop.create_task(ok("victim", 1))
    loop.call_later(0.05, victim.cancel, "go away")
    results = await asyncio.gather(ok("a", 0.1), fail("b", 0.05), victim, fail("d", 0.2), return_exceptions=True)
    for r in results:
        if isinstance(r, BaseException):
            print("exception", type(r).__name__, repr(str(r)))
        else:
            print("result", r)
    print("victim cancelled:", victim.cancelled())

asyncio.run(main())

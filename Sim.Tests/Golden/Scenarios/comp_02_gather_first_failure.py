# Without return_exceptions, gather raises the first failure as soon as it happens; the other
# children are not cancelled and run to completion; a later failure is not raised again.
import asyncio

class Boom(Exception):
    pass

async def ok(name, delay):
    await asyncio.sleep(delay)
    print("ok finished", name)
    return name

async def fail(name, delay):
    await asyncio.sleep(delay)
    print("failing", name)
    raise Boom(name)

async def main():
    loop = asyncio.get_running_loop()
    children = [loop.create_task(ok("a", 0.3)), loop.create_task(fail("b", 0.1)), loop.create_task(fail("c", 0.2))]
    g = asyncio.gather(*children)
    try:
        await g
    except Boom as e:
        print("gather raised", type(e).__name__, e)
    print("gather done:", g.done(), "cancelled:", g.cancelled())
    print("children done:", [t.done() for t in children])
    print("cancel the finished gather:", g.cancel())
    await asyncio.sleep(0.5)
    print("children later:", [(t.done(), t.cancelled()) for t in children])
    print("a:", children[0].result(), "c:", type(children[2].exception()).__name__, children[2].exception())

asyncio.run(main())
